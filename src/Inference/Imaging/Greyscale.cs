using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// Greyscale uploads (every pixel with R = G = B): the networks restore them as colour images whose three channels
/// carry the same picture and the same noise, and their result is brought back to exact grey, so that a greyscale
/// photograph never comes back tinted.
/// </summary>
internal static class Greyscale
{
    public static bool IsGrey(Image<Rgba64> image)
    {
        var grey = true;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height && grey; y++)
            {
                foreach (var pixel in accessor.GetRowSpan(y))
                {
                    if (pixel.R != pixel.G || pixel.G != pixel.B)
                    {
                        grey = false;
                        break;
                    }
                }
            }
        });
        return grey;
    }

    /// <summary>
    /// Sets every pixel's three channels to their mean: the channels are three estimates of the same grey value, and
    /// with the same noise in each, the mean is the best of them.
    /// </summary>
    public static void Flatten(Image<Rgba64> image) => image.ProcessPixelRows(accessor =>
    {
        for (var y = 0; y < accessor.Height; y++)
        {
            foreach (ref var pixel in accessor.GetRowSpan(y))
            {
                var mean = (ushort)((pixel.R + pixel.G + pixel.B + 1) / 3);
                pixel = new Rgba64(mean, mean, mean, pixel.A);
            }
        }
    });
}
