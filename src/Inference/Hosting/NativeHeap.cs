using System.Runtime.InteropServices;

namespace LiteRestore.Inference;

/// <summary>
/// The C library's heap beneath ONNX Runtime. glibc serves a freed block below its mmap threshold from its own heap
/// and keeps it there, and raises that threshold to the size of each mapped block freed (up to 32 MB), so the buffers
/// of runs of many tile shapes stay resident after ONNX Runtime has handed them back: with tiles sized per request the
/// reliability soak's memory grew to twice that of native tiles. A fixed threshold maps every large block on its own,
/// and freeing it returns it to the system. Elsewhere than glibc this does nothing.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c>: setting it also turns off the threshold's growth.</summary>
    private const int MmapThreshold = -3;

    private const string GlibcName = "libc.so.6";

    /// <summary>Sets the C library's mmap threshold; false where the C library is not glibc or refuses it.</summary>
    public static bool SetMmapThreshold(int bytes) => OperatingSystem.IsLinux() && Call(() => mallopt(MmapThreshold, bytes) == 1);

    /// <summary>Hands the heap's free pages back to the system: whether any went back (never where the C library is not glibc).</summary>
    public static bool Trim() => OperatingSystem.IsLinux() && Call(() => malloc_trim(UIntPtr.Zero) == 1);

    private static bool Call(Func<bool> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(GlibcName)]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport(GlibcName)]
    private static partial int malloc_trim(UIntPtr pad);
}
