using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.LoadTest.Images;

/// <summary>The inpainting mask the load tester sends: a centred rectangle (white = hole) on black.</summary>
internal static class HoleMask
{
    /// <summary>The hole spans this share of the image's width and of its height.</summary>
    public const double SideFraction = 0.25;

    private static readonly L8 Hole = new(byte.MaxValue);

    public static byte[] Png(int width, int height)
    {
        using var mask = new Image<L8>(width, height);
        var holeWidth = Math.Max(1, (int)(width * SideFraction));
        var holeHeight = Math.Max(1, (int)(height * SideFraction));
        var left = (width - holeWidth) / 2;
        var top = (height - holeHeight) / 2;
        mask.ProcessPixelRows(rows =>
        {
            for (var y = top; y < top + holeHeight; y++)
            {
                rows.GetRowSpan(y).Slice(left, holeWidth).Fill(Hole);
            }
        });
        return PngEncoding.Encode(mask);
    }
}
