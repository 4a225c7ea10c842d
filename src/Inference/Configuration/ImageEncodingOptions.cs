using System.ComponentModel.DataAnnotations;

namespace LiteRestore.Inference;

/// <summary>Configuration section <c>ImageEncoding</c>: how results are written.</summary>
public sealed class ImageEncodingOptions
{
    public const string SectionName = "ImageEncoding";

    /// <summary>
    /// zlib level of PNG results, 1 (fastest) to 9 (smallest). Default: 3. A 1024x1024 photograph took 864 ms and
    /// 1158 KiB at ImageSharp's default of 6, 119 ms and 1242 KiB (+7 %) at 3, and 61 ms and 1309 KiB at 1: at 6 the
    /// encoding of a 1024x1024 denoise-baseline result cost 12 % of the time its restoration took.
    /// </summary>
    [Range(1, 9)]
    public int PngCompressionLevel { get; set; } = 3;
}
