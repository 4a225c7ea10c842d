using System.Buffers;

namespace LiteRestore.Inference;

/// <summary>
/// Arrays as large as an image's planes: small ones come from the shared pool, large ones are allocated and left to the
/// collector. The shared pool keeps returned arrays of up to 2^30 elements, rounded up to a power of two, per core: the
/// planes of every 4096x4096 request it had served stayed in the process afterwards (3.6 GB of large-object heap
/// while idle, after a fuzz run), each a third larger than asked for.
/// </summary>
internal static class PlaneArrays
{
    /// <summary>Longest array that goes back to the shared pool: a 1024x1024 plane.</summary>
    public const int MaxPooledLength = 1024 * 1024;

    /// <summary>An array of at least <paramref name="length"/> elements, not cleared.</summary>
    public static T[] Rent<T>(int length) => length <= MaxPooledLength
        ? ArrayPool<T>.Shared.Rent(length)
        : GC.AllocateUninitializedArray<T>(length);

    public static void Return<T>(T[] array)
    {
        if (array.Length <= MaxPooledLength)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }
}
