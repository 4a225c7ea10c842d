using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>
/// The reference fill for thin holes: each hole pixel the mean of its four neighbours (Laplace's equation with the
/// known pixels as boundary), solved at full resolution by Gauss-Seidel sweeps until it settles.
/// </summary>
internal static class HarmonicFill
{
    private const int Sweeps = 2000;

    public static Image<Rgb24> Fill(Image<Rgb24> image, Func<int, int, bool> inHole)
    {
        var (width, height) = (image.Width, image.Height);
        var values = new float[3, height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixel = image[x, y];
                (values[0, y, x], values[1, y, x], values[2, y, x]) = (pixel.R, pixel.G, pixel.B);
            }
        }

        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (inHole(x, y))
                    {
                        for (var c = 0; c < 3; c++)
                        {
                            values[c, y, x] = Neighbours(values, c, x, y);
                        }
                    }
                }
            }
        }

        var filled = image.Clone();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                filled[x, y] = new Rgb24(Level(values[0, y, x]), Level(values[1, y, x]), Level(values[2, y, x]));
            }
        }

        return filled;
    }

    /// <summary>The mean of the neighbours inside the image (a mirror boundary at the edges).</summary>
    private static float Neighbours(float[,,] values, int c, int x, int y)
    {
        var (height, width) = (values.GetLength(1), values.GetLength(2));
        var (sum, count) = (0f, 0);
        foreach (var (nx, ny) in new[] { (x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1) })
        {
            if ((uint)nx < (uint)width && (uint)ny < (uint)height)
            {
                (sum, count) = (sum + values[c, ny, nx], count + 1);
            }
        }

        return sum / count;
    }

    private static byte Level(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
