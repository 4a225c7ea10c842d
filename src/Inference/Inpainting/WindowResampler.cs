using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Inference.Inpainting;

/// <summary>
/// Scales an inpainting window larger than the network's working size (<paramref name="size"/>²) down into its input,
/// and the network's output back up to the window. Planes are RGB, with the mask as a fourth plane on the way in.
/// </summary>
internal sealed class WindowResampler(Configuration configuration, int size)
{
    private const int Channels = 3;

    /// <summary>A window larger than the working size, scaled down into the network's input.</summary>
    public void ScaleDown(ReadOnlySpan<float> window, int side, Span<float> destination)
    {
        // A bilinear kernel keeps the mask in [0,1] and exactly 0 far from any hole; every pixel that a hole touches stays a hole.
        using var scaled = ToImage(window, Channels + 1, side);
        scaled.Mutate(context => context.Resize(new ResizeOptions
        {
            Size = new Size(size, size),
            Sampler = KnownResamplers.Triangle,
            Mode = ResizeMode.Stretch,
            PremultiplyAlpha = false,
        }));
        Read(scaled, destination, Channels + 1);
        foreach (ref var value in destination.Slice(Channels * size * size, size * size))
        {
            value = value > 0f ? 1f : 0f;
        }
    }

    /// <summary>The network's output, scaled from the working size up to the window's side.</summary>
    public void ScaleUp(ReadOnlySpan<float> output, int side, Span<float> planes)
    {
        using var filled = ToImage(output, Channels, size);
        filled.Mutate(context => context.Resize(side, side, KnownResamplers.Bicubic));
        Read(filled, planes, Channels);
    }

    /// <summary>Planar channels (3 = RGB, 4 = RGB + mask as alpha) to an image of <paramref name="edge"/>² pixels.</summary>
    private Image<RgbaVector> ToImage(ReadOnlySpan<float> planes, int channels, int edge)
    {
        var plane = edge * edge;
        var converted = new Image<RgbaVector>(configuration, edge, edge);
        for (var y = 0; y < edge; y++)
        {
            var row = converted.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < edge; x++)
            {
                var at = y * edge + x;
                row[x] = new RgbaVector(planes[at], planes[plane + at], planes[2 * plane + at], channels > Channels ? planes[3 * plane + at] : 1f);
            }
        }

        return converted;
    }

    /// <summary>A square image into planes: RGB, and alpha last when <paramref name="channels"/> is 4.</summary>
    private static void Read(Image<RgbaVector> source, Span<float> planes, int channels)
    {
        var edge = source.Width;
        var plane = edge * edge;
        for (var y = 0; y < edge; y++)
        {
            var row = source.DangerousGetPixelRowMemory(y).Span;
            for (var x = 0; x < edge; x++)
            {
                var at = y * edge + x;
                var pixel = row[x].ToVector4();
                planes[at] = pixel.X;
                planes[plane + at] = pixel.Y;
                planes[2 * plane + at] = pixel.Z;
                if (channels > Channels)
                {
                    planes[3 * plane + at] = pixel.W;
                }
            }
        }
    }
}
