using LiteRestore.Contracts;

namespace LiteRestore.Inference.Admission;

/// <summary>
/// What one request's images take in memory from decoding to the encoded answer, from its dimensions alone, so that it
/// can be reserved before a pixel is decoded. Per pixel, from what the plans allocate.
/// </summary>
public static class WorkingMemoryEstimate
{
    /// <summary>The decoded 16-bit RGBA upload, and as much again for the decoder's own buffers while it runs.</summary>
    private const long DecodedBytesPerPixel = 2 * 8;

    /// <summary>Denoise and super-resolve: the planar float copy of the upload (three channels).</summary>
    private const long TiledSourceBytesPerPixel = 3 * 4;

    /// <summary>
    /// Per output pixel: the float sums (three channels) and weights the tiles accumulate into, the 16-bit RGBA
    /// result, and its encoding (at most one uncompressed 16-bit RGBA copy, twice over while the stream grows).
    /// </summary>
    private const long TiledOutputBytesPerPixel = (3 * 4) + 4 + 8 + (2 * 8);

    /// <summary>
    /// Inpaint: the decoded mask (with its decoder's buffers), the result copy, the hole's owner and component maps
    /// (three ints), and the encoding.
    /// </summary>
    private const long InpaintBytesPerPixel = DecodedBytesPerPixel + 8 + (3 * 4) + (2 * 8);

    public static long Bytes(RestorationTask task, ImageDimensions dimensions, int scale)
    {
        var pixels = dimensions.Pixels;
        return task == RestorationTask.Inpaint
            ? pixels * (DecodedBytesPerPixel + InpaintBytesPerPixel)
            : pixels * (DecodedBytesPerPixel + TiledSourceBytesPerPixel + (TiledOutputBytesPerPixel * scale * scale));
    }
}
