using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LiteRestore.Inference;

/// <summary>
/// Whether ONNX Runtime's CUDA provider can load here, found out without asking ONNX Runtime: a failed CUDA session
/// makes its native logger print an error per model to stderr, which a CPU machine should not show. Loading the
/// provider library the way ONNX Runtime would (<c>dlopen</c>) fails on the first dependency that is missing, and
/// says which one. Probed once per process.
/// </summary>
internal static partial class CudaProbe
{
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";
    private const string Requirement = "ONNX Runtime's CUDA provider needs CUDA 13, cuDNN 9 and an NVIDIA driver";

    private static readonly Lazy<string?> Result = new(Probe);

    /// <summary>Why CUDA cannot be used on this machine, naming the missing library; null when its libraries load.</summary>
    public static string? Unavailable => Result.Value;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // a RID-specific publish puts native libraries next to the app, a portable build under runtimes/<rid>/native
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        var path = new[] { AppContext.BaseDirectory, native }
            .Select(folder => Path.Combine(folder, ProviderLibrary))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            return $"CUDA is not usable: {ProviderLibrary} is not installed with the app.";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            var missing = MissingLibrary().Match(e.Message);
            return missing.Success
                ? $"CUDA is not usable: {missing.Groups[1].Value} is missing ({Requirement})."
                : $"CUDA is not usable: {ProviderLibrary} does not load ({Requirement}).";
        }
    }

    [GeneratedRegex(@"([\w.+-]+\.so[.\d]*): cannot open shared object file")]
    private static partial Regex MissingLibrary();
}
