using LiteRestore.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>Small pictures for requests, and the measures the quality tests compare.</summary>
internal static class TestImages
{
    /// <summary>A 96x96 crop of a photograph no network was trained on (see Fixtures/SOURCES.md).</summary>
    public static Image<Rgb24> Photo() => Image.Load<Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "chelsea-96.png"));

    /// <summary>A smooth colour gradient, so that tiles differ from each other.</summary>
    public static Image<Rgba32> Gradient(int width, int height)
    {
        var image = new Image<Rgba32>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgba32((byte)(255 * x / width), (byte)(255 * y / height), 128, 255);
                }
            }
        });
        return image;
    }

    public static void Paint<TPixel>(Image<TPixel> image, Rectangle area, TPixel value)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        for (var y = area.Top; y < area.Bottom; y++)
        {
            for (var x = area.Left; x < area.Right; x++)
            {
                image[x, y] = value;
            }
        }
    }

    public static byte[] Png(Image image) => ImageBytes.Of(image, new PngEncoder());

    /// <summary>Additive Gaussian noise of standard deviation <paramref name="sigma"/> (0-255 scale), clipped and rounded; seeded.</summary>
    public static Image<Rgb24> WithNoise(Image<Rgb24> clean, double sigma, int seed)
    {
        var random = new Random(seed);
        var noisy = clean.Clone();
        noisy.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel = new Rgb24(Noisy(pixel.R), Noisy(pixel.G), Noisy(pixel.B));
                }
            }
        });
        return noisy;

        byte Noisy(byte value)
        {
            // Box-Muller.
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return (byte)Math.Clamp(Math.Round(value + sigma * gaussian), 0, 255);
        }
    }

    public static Image<Rgb24> Resized(Image<Rgb24> image, int width, int height) =>
        image.Clone(context => context.Resize(width, height, KnownResamplers.Bicubic));

    /// <summary>The mean of each of R, G and B, in 8-bit levels.</summary>
    public static double[] ChannelMeans(Image<Rgb24> image)
    {
        var sums = new double[3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var pixel in rows.GetRowSpan(y))
                {
                    (sums[0], sums[1], sums[2]) = (sums[0] + pixel.R, sums[1] + pixel.G, sums[2] + pixel.B);
                }
            }
        });
        return sums.Select(sum => sum / ((double)image.Width * image.Height)).ToArray();
    }

    /// <summary>Pixels whose R, G and B are not all equal.</summary>
    public static int CountColouredPixels(Image<Rgb24> image)
    {
        var count = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var pixel in rows.GetRowSpan(y))
                {
                    count += pixel.R != pixel.G || pixel.G != pixel.B ? 1 : 0;
                }
            }
        });
        return count;
    }

    /// <summary>PSNR in dB over the pixels <paramref name="include"/> selects (all by default), RGB, 8-bit peak.</summary>
    public static double Psnr(Image<Rgb24> expected, Image<Rgb24> actual, Func<int, int, bool>? include = null)
    {
        Assert.Equal(expected.Size(), actual.Size());
        double squares = 0;
        long count = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                if (include is not null && !include(x, y))
                {
                    continue;
                }

                var (e, a) = (expected[x, y], actual[x, y]);
                squares += Square(e.R - a.R) + Square(e.G - a.G) + Square(e.B - a.B);
                count += 3;
            }
        }

        return 10 * Math.Log10(255.0 * 255.0 / (squares / count));

        static double Square(int value) => (double)value * value;
    }
}
