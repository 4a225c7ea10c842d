using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>What the inpainting tests read off a filled picture.</summary>
internal static class InpaintMeasures
{
    /// <summary>
    /// Where along <paramref name="row"/>, between columns <paramref name="from"/> and <paramref name="to"/>, the
    /// luminance first crosses halfway between its values at the two ends (linearly interpolated); null if it never does.
    /// </summary>
    public static double? EdgeCrossing(Image<Rgb24> image, int row, int from, int to)
    {
        var half = (Luminance(image[from, row]) + Luminance(image[to, row])) / 2;
        var above = Luminance(image[from, row]) > half;
        for (var x = from; x < to; x++)
        {
            var (left, right) = (Luminance(image[x, row]), Luminance(image[x + 1, row]));
            if ((right > half) != above)
            {
                return x + ((half - left) / (right - left));
            }
        }

        return null;
    }

    private static double Luminance(Rgb24 pixel) => (0.299 * pixel.R) + (0.587 * pixel.G) + (0.114 * pixel.B);
}
