using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests.Infrastructure;

internal static class TestImages
{
    /// <summary>Random 16-bit RGB and alpha, the same for the same seed.</summary>
    public static Image<Rgba64> Random(int width, int height, int seed = 1, bool opaque = false)
    {
        var random = new Random(seed);
        var image = new Image<Rgba64>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                foreach (ref var pixel in accessor.GetRowSpan(y))
                {
                    pixel = new Rgba64(Level(random), Level(random), Level(random), opaque ? ushort.MaxValue : Level(random));
                }
            }
        });
        return image;
    }

    public static Image<Rgba64> Solid(int width, int height, Rgba64 colour) => new(width, height, colour);

    public static Rgba64[] Pixels(Image<Rgba64> image)
    {
        var pixels = new Rgba64[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static ushort Level(Random random) => (ushort)random.Next(ushort.MaxValue + 1);
}
