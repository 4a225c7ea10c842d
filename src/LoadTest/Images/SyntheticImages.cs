using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.LoadTest.Images;

/// <summary>
/// Deterministic stand-ins for photographs: a smooth colour gradient (sky, walls), a periodic texture (foliage,
/// fabric) and seeded Gaussian sensor noise, so that every tile differs and the networks have something to restore.
/// </summary>
internal static class SyntheticImages
{
    private const double TextureAmplitude = 0.12;
    private const double TextureFrequencyX = 0.21;
    private const double TextureFrequencyY = 0.13;
    private const double NoiseSigma = 0.06;

    public static TestImage Create(ImageSize size, bool withMask)
    {
        using var image = new Image<Rgb24>(size.Width, size.Height);
        var random = new Random(Seed(size));
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var u = x / (double)size.Width;
                    var v = y / (double)size.Height;
                    var texture = TextureAmplitude * Math.Sin(x * TextureFrequencyX) * Math.Cos(y * TextureFrequencyY);
                    row[x] = new Rgb24(
                        Channel(0.2 + (0.6 * u) + texture, random),
                        Channel(0.3 + (0.5 * v) - texture, random),
                        Channel(0.7 - (0.4 * u * v) + texture, random));
                }
            }
        });

        return new TestImage(
            $"synthetic-{size}.png",
            size.Width,
            size.Height,
            PngEncoding.Encode(image),
            PngEncoding.MediaType,
            withMask ? HoleMask.Png(size.Width, size.Height) : null);
    }

    private static int Seed(ImageSize size) => (size.Width * 7919) + size.Height;

    private static byte Channel(double value, Random random) =>
        (byte)Math.Round(Math.Clamp(value + (NoiseSigma * Gaussian(random)), 0, 1) * byte.MaxValue);

    /// <summary>Box–Muller: one standard normal sample.</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
