using System.Buffers;
using System.Numerics;
using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Inference;

/// <summary>
/// Inpainting: one square window around the hole's bounding box with at least the card's context margin, reflected
/// where it passes the image edge, scaled down to the model's working size when it is larger (and the result scaled
/// back up); only hole pixels of the result are pasted into the image. A hole marked by transparency becomes opaque.
/// The planar buffers are rented (a 128x128 window's are large-object-heap sized) and returned on dispose.
/// </summary>
internal sealed class InpaintPlan : IRestorationPlan
{
    private const int Channels = 3;
    private const ushort HalfLevel = ushort.MaxValue / 2 + 1;

    private readonly Image<Rgba64> image;
    private readonly bool[] hole;
    private readonly bool holeFromAlpha;
    private readonly Rectangle bounds;
    private readonly int size;
    private readonly int left;
    private readonly int top;
    private readonly int side;
    private readonly float[] input;
    private readonly float[] output;

    private InpaintPlan(Image<Rgba64> image, bool[] hole, bool holeFromAlpha, Rectangle bounds, TileSpec tile)
    {
        this.image = image;
        this.hole = hole;
        this.holeFromAlpha = holeFromAlpha;
        this.bounds = bounds;
        size = tile.Size;
        side = Math.Max(size, Math.Max(bounds.Width, bounds.Height) + 2 * tile.ContextMargin);
        left = Place(bounds.Left, bounds.Right, image.Width);
        top = Place(bounds.Top, bounds.Bottom, image.Height);
        input = ArrayPool<float>.Shared.Rent((Channels + 1) * size * size);
        output = ArrayPool<float>.Shared.Rent(Channels * size * size);
        FillInput();
    }

    public int TileCount => bounds.IsEmpty ? 0 : 1;

    /// <summary>The plan for <paramref name="image"/>; the hole is white in <paramref name="mask"/>, or transparent in the image without one.</summary>
    public static InpaintPlan Create(Image<Rgba64> image, Image<Rgba64>? mask, TileSpec tile)
    {
        if (mask is not null && mask.Size() != image.Size())
        {
            throw new ImageRejectedException(ErrorCodes.MaskMismatch, $"The mask is {mask.Width}x{mask.Height} but the image is {image.Width}x{image.Height}.");
        }

        var hole = new bool[image.Width * image.Height];
        var width = image.Width;
        (mask ?? image).ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    hole[y * width + x] = mask is null ? row[x].A < HalfLevel : Luminance(row[x]) >= HalfLevel;
                }
            }
        });
        if (Array.TrueForAll(hole, inHole => inHole))
        {
            throw new ImageRejectedException(ErrorCodes.HoleCoversImage, (mask is null ? "Every pixel of the image is transparent" : "The mask is white everywhere")
                + ", so no pixel is left to fill the hole from.");
        }

        return new InpaintPlan(image, hole, mask is null, Bounds(hole, width, image.Height), tile);
    }

    public void WriteInput(int tile, Span<float> destination) => input.AsSpan(0, destination.Length).CopyTo(destination);

    public void ReadOutput(int tile, ReadOnlySpan<float> output) => output.CopyTo(this.output);

    public Image<Rgba64> Finish()
    {
        var result = image.Clone();
        if (bounds.IsEmpty)
        {
            return result;
        }

        if (side == size)
        {
            Paste(result, output);
        }
        else
        {
            WithScratch(Channels * side * side, planes =>
            {
                ScaleUp(planes);
                Paste(result, planes);
            });
        }

        return result;
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(input);
        ArrayPool<float>.Shared.Return(output);
    }

    /// <summary>Runs <paramref name="use"/> on a rented buffer of at least <paramref name="length"/> floats.</summary>
    private static void WithScratch(int length, Action<float[]> use)
    {
        var scratch = ArrayPool<float>.Shared.Rent(length);
        try
        {
            use(scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The network's output, scaled from the working size up to the window's side, into <paramref name="planes"/>.</summary>
    private void ScaleUp(float[] planes)
    {
        using var filled = ToImage(output, Channels);
        filled.Mutate(context => context.Resize(side, side, KnownResamplers.Bicubic));
        Read(filled, planes, Channels);
    }

    /// <summary>Writes the window's hole pixels from <paramref name="planes"/> (<see cref="side"/>² per channel) into the result.</summary>
    private void Paste(Image<Rgba64> result, float[] planes)
    {
        var plane = side * side;
        result.ProcessPixelRows(accessor =>
        {
            for (var y = bounds.Top; y < bounds.Bottom; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = bounds.Left; x < bounds.Right; x++)
                {
                    if (!hole[y * image.Width + x])
                    {
                        continue;
                    }

                    var at = (y - top) * side + (x - left);
                    row[x] = new Rgba64(
                        PlanarPixels.ToLevel(planes[at]),
                        PlanarPixels.ToLevel(planes[plane + at]),
                        PlanarPixels.ToLevel(planes[2 * plane + at]),
                        holeFromAlpha ? ushort.MaxValue : row[x].A);
                }
            }
        });
    }

    private void FillInput()
    {
        if (bounds.IsEmpty)
        {
            return;
        }

        if (side == size)
        {
            ReadWindow(input);
            return;
        }

        WithScratch((Channels + 1) * side * side, window =>
        {
            ReadWindow(window);
            ScaleDown(window);
        });
    }

    /// <summary>The window's pixels and hole (reflected past the image edge) as RGB + mask planes of <see cref="side"/>².</summary>
    private void ReadWindow(float[] window)
    {
        var (width, height) = (image.Width, image.Height);
        var plane = side * side;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < side; y++)
            {
                var sourceY = Reflect.Index(top + y, height);
                var row = accessor.GetRowSpan(sourceY);
                for (var x = 0; x < side; x++)
                {
                    var sourceX = Reflect.Index(left + x, width);
                    var pixel = row[sourceX];
                    var at = y * side + x;
                    window[at] = PlanarPixels.ToFloat(pixel.R);
                    window[plane + at] = PlanarPixels.ToFloat(pixel.G);
                    window[2 * plane + at] = PlanarPixels.ToFloat(pixel.B);
                    window[3 * plane + at] = hole[sourceY * width + sourceX] ? 1f : 0f;
                }
            }
        });
    }

    /// <summary>A window larger than the working size, scaled down into the input.</summary>
    private void ScaleDown(float[] window)
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
        Read(scaled, input, Channels + 1);
        var maskPlane = input.AsSpan(Channels * size * size, size * size);
        foreach (ref var value in maskPlane)
        {
            value = value > 0f ? 1f : 0f;
        }
    }

    /// <summary>Planar channels (3 = RGB, 4 = RGB + mask as alpha) to an image of <paramref name="edge"/>² pixels.</summary>
    private Image<RgbaVector> ToImage(float[] planes, int channels, int? edge = null)
    {
        var length = edge ?? size;
        var plane = length * length;
        var result = new Image<RgbaVector>(image.GetConfiguration(), length, length);
        result.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < length; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < length; x++)
                {
                    var at = y * length + x;
                    row[x] = new RgbaVector(planes[at], planes[plane + at], planes[2 * plane + at], channels > Channels ? planes[3 * plane + at] : 1f);
                }
            }
        });
        return result;
    }

    /// <summary>A square image into planes: RGB, and alpha last when <paramref name="channels"/> is 4.</summary>
    private static void Read(Image<RgbaVector> source, float[] planes, int channels)
    {
        var length = source.Width;
        var plane = length * length;
        var withAlpha = channels > Channels;
        source.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < length; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < length; x++)
                {
                    var at = y * length + x;
                    var pixel = row[x].ToVector4();
                    planes[at] = pixel.X;
                    planes[plane + at] = pixel.Y;
                    planes[2 * plane + at] = pixel.Z;
                    if (withAlpha)
                    {
                        planes[3 * plane + at] = pixel.W;
                    }
                }
            }
        });
    }

    /// <summary>Start of the window along one axis: centred on the hole, kept inside the image when the image is large enough.</summary>
    private int Place(int start, int end, int length)
    {
        var centred = (start + end) / 2 - side / 2;
        return length >= side ? Math.Clamp(centred, 0, length - side) : (length - side) / 2;
    }

    private static int Luminance(Rgba64 pixel) => (int)(Vector3.Dot(new Vector3(pixel.R, pixel.G, pixel.B), new Vector3(0.299f, 0.587f, 0.114f)) + 0.5f);

    private static Rectangle Bounds(bool[] hole, int width, int height)
    {
        int minX = width, minY = height, maxX = -1, maxY = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (hole[y * width + x])
                {
                    (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                }
            }
        }

        return maxX < 0 ? Rectangle.Empty : Rectangle.FromLTRB(minX, minY, maxX + 1, maxY + 1);
    }
}
