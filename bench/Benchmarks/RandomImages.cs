using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Opaque images of random 16-bit pixels, the same for the same seed: what the raw sessions run too (the networks ran
/// up to a third faster on a flat-colour image).
/// </summary>
internal static class RandomImages
{
    public static Image<Rgba64> Opaque(int side, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba64>(side, side);
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                foreach (ref var pixel in accessor.GetRowSpan(y))
                {
                    pixel = new Rgba64(Level(random), Level(random), Level(random), ushort.MaxValue);
                }
            }
        });
        return image;
    }

    private static ushort Level(Random random) => (ushort)random.Next(ushort.MaxValue + 1);
}
