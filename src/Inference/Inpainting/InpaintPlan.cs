using System.Numerics;
using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Inpainting;

/// <summary>
/// Inpainting: the hole cut into the windows that <see cref="InpaintLayout"/> chooses, each one a tile of the model's
/// working size (a larger window is scaled down to it, and its result back up). Each window pastes only the hole
/// pixels it owns, so nothing outside the hole changes; a hole marked by transparency becomes opaque.
/// </summary>
internal sealed class InpaintPlan : IRestorationPlan
{
    private const int Channels = 3;
    private const ushort HalfLevel = ushort.MaxValue / 2 + 1;

    private readonly Image<Rgba64> image;
    private readonly Image<Rgba64> result;
    private readonly int[] owners;
    private readonly List<InpaintWindow> windows;
    private readonly int size;
    private readonly bool holeFromAlpha;
    private readonly WindowResampler resampler;
    private bool finished;

    private InpaintPlan(Image<Rgba64> image, int[] owners, List<InpaintWindow> windows, int size, bool holeFromAlpha)
    {
        this.image = image;
        this.owners = owners;
        this.windows = windows;
        this.size = size;
        this.holeFromAlpha = holeFromAlpha;
        resampler = new WindowResampler(image.GetConfiguration(), size);
        result = image.Clone();
    }

    public int TileCount => windows.Count;

    /// <summary>Every window runs at the model's working size: RGB and the hole's mask in, RGB out.</summary>
    public TileShape Shape => TileShape.Square(Channels + 1, Channels, size, scale: 1);

    /// <summary>The plan for <paramref name="image"/>; the hole is white in <paramref name="mask"/>, or transparent in the image without one.</summary>
    public static InpaintPlan Create(Image<Rgba64> image, Image<Rgba64>? mask, TileSpec tile)
    {
        if (mask is not null && mask.Size() != image.Size())
        {
            throw new ImageRejectedException(ErrorCodes.MaskMismatch, $"The mask is {mask.Width}x{mask.Height} but the image is {image.Width}x{image.Height}.");
        }

        var (width, height) = (image.Width, image.Height);
        var hole = new bool[width * height];
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

        var owners = PlaneArrays.Rent<int>(hole.Length);
        var labels = owners.AsSpan(0, hole.Length);
        var components = HoleComponents.Label(hole, width, height, labels);
        var windows = InpaintLayout.Plan(components, labels, image.Size(), tile);
        return new InpaintPlan(image, owners, windows, tile.Size, mask is null);
    }

    public void WriteInput(int tile, Span<float> destination)
    {
        var window = windows[tile];
        if (window.Side == size)
        {
            ReadWindow(window, destination);
            return;
        }

        var scratch = PlaneArrays.Rent<float>((Channels + 1) * window.Side * window.Side);
        try
        {
            ReadWindow(window, scratch);
            resampler.ScaleDown(scratch, window.Side, destination);
        }
        finally
        {
            PlaneArrays.Return(scratch);
        }
    }

    public void ReadOutput(int tile, ReadOnlySpan<float> output)
    {
        var window = windows[tile];
        if (window.Side == size)
        {
            Paste(window, output);
            return;
        }

        var scratch = PlaneArrays.Rent<float>(Channels * window.Side * window.Side);
        try
        {
            resampler.ScaleUp(output, window.Side, scratch);
            Paste(window, scratch);
        }
        finally
        {
            PlaneArrays.Return(scratch);
        }
    }

    public Image<Rgba64> Finish()
    {
        finished = true;
        return result;
    }

    public void Dispose()
    {
        PlaneArrays.Return(owners);
        if (!finished)
        {
            result.Dispose();
        }
    }

    /// <summary>The window's pixels and hole (reflected past the image edge) as RGB + mask planes of its side².</summary>
    private void ReadWindow(InpaintWindow window, Span<float> planes)
    {
        var (width, height, side) = (image.Width, image.Height, window.Side);
        var plane = side * side;
        for (var y = 0; y < side; y++)
        {
            var sourceY = Reflect.Index(window.Top + y, height);
            var row = image.DangerousGetPixelRowMemory(sourceY).Span;
            for (var x = 0; x < side; x++)
            {
                var sourceX = Reflect.Index(window.Left + x, width);
                var pixel = row[sourceX];
                var at = y * side + x;
                planes[at] = PlanarPixels.ToFloat(pixel.R);
                planes[plane + at] = PlanarPixels.ToFloat(pixel.G);
                planes[2 * plane + at] = PlanarPixels.ToFloat(pixel.B);
                planes[3 * plane + at] = owners[sourceY * width + sourceX] >= 0 ? 1f : 0f;
            }
        }
    }

    /// <summary>Writes the window's own hole pixels inside its core from <paramref name="planes"/> (its side² per channel).</summary>
    private void Paste(InpaintWindow window, ReadOnlySpan<float> planes)
    {
        var side = window.Side;
        var plane = side * side;
        var core = Rectangle.Intersect(window.Core, new Rectangle(0, 0, image.Width, image.Height));
        for (var y = core.Top; y < core.Bottom; y++)
        {
            var row = result.DangerousGetPixelRowMemory(y).Span;
            for (var x = core.Left; x < core.Right; x++)
            {
                if (owners[y * image.Width + x] != window.Owner)
                {
                    continue;
                }

                var at = (y - window.Top) * side + (x - window.Left);
                row[x] = new Rgba64(
                    PlanarPixels.ToLevel(planes[at]),
                    PlanarPixels.ToLevel(planes[plane + at]),
                    PlanarPixels.ToLevel(planes[2 * plane + at]),
                    holeFromAlpha ? ushort.MaxValue : row[x].A);
            }
        }
    }

    private static int Luminance(Rgba64 pixel) => (int)(Vector3.Dot(new Vector3(pixel.R, pixel.G, pixel.B), new Vector3(0.299f, 0.587f, 0.114f)) + 0.5f);
}
