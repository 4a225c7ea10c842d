using System.ComponentModel.DataAnnotations;

namespace LiteRestore.Inference;

/// <summary>Configuration section <c>ImageLimits</c>: what an upload (and a result) may cost.</summary>
public sealed class ImageLimitsOptions
{
    public const string SectionName = "ImageLimits";

    /// <summary>Widest accepted upload, after EXIF orientation. Default: 8192.</summary>
    [Range(1, 65535)]
    public int MaxWidth { get; set; } = 8192;

    /// <summary>Tallest accepted upload, after EXIF orientation. Default: 8192.</summary>
    [Range(1, 65535)]
    public int MaxHeight { get; set; } = 8192;

    /// <summary>Most pixels of an upload. Default: 16,777,216 (4096²).</summary>
    [Range(1, int.MaxValue)]
    public int MaxPixels { get; set; } = 4096 * 4096;

    /// <summary>Most pixels of a result; bounds super-resolution (4× each side). Default: 16,777,216 (4096²).</summary>
    [Range(1, int.MaxValue)]
    public int MaxOutputPixels { get; set; } = 4096 * 4096;

    /// <summary>
    /// Most bytes a PNG's text and ICC chunks may inflate to, all together; past it the upload is rejected before it
    /// is decoded (a compressed text chunk of 48 KB can inflate to 50 MB). Default: 4 MiB.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxMetadataBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Hard limit of the image allocator (one allocation), in MB. Default: 1024.</summary>
    [Range(1, 65536)]
    public int AllocatorLimitMegabytes { get; set; } = 1024;
}
