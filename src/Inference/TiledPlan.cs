using System.Buffers;
using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Inference;

/// <summary>
/// Denoise and super-resolve: the image cut into overlapping tiles in input space (see <see cref="TileGrid"/>), each
/// tile's output accumulated with <see cref="FeatherWindow"/> weights and normalised by the summed weights.
/// </summary>
internal sealed class TiledPlan : IRestorationPlan
{
    private const int Channels = 3;

    private readonly Image<Rgba64> image;
    private readonly TileShape shape;
    private readonly bool residual;
    private readonly TileGrid columns;
    private readonly TileGrid rows;
    private readonly float[] feather;
    private readonly int outputWidth;
    private readonly int outputHeight;
    private readonly float[] source;
    private readonly float[] sums;
    private readonly float[] weights;

    public TiledPlan(Image<Rgba64> image, ModelCard card)
    {
        this.image = image;
        shape = new TileShape(Channels, Channels, card.Tile.Size, card.Scale);
        residual = card.Residual;
        columns = new TileGrid(image.Width, card.Tile.Size, card.Tile.Overlap);
        rows = new TileGrid(image.Height, card.Tile.Size, card.Tile.Overlap);
        feather = FeatherWindow.Create(card.Tile.Size, card.Tile.Overlap, card.Scale);
        outputWidth = image.Width * card.Scale;
        outputHeight = image.Height * card.Scale;
        var outputPlane = outputWidth * outputHeight;
        source = ArrayPool<float>.Shared.Rent(Channels * image.Width * image.Height);
        sums = ArrayPool<float>.Shared.Rent(Channels * outputPlane);
        weights = ArrayPool<float>.Shared.Rent(outputPlane);
        sums.AsSpan(0, Channels * outputPlane).Clear();
        weights.AsSpan(0, outputPlane).Clear();
        PlanarPixels.Read(image, source);
    }

    public int TileCount => columns.Starts.Length * rows.Starts.Length;

    public void WriteInput(int tile, Span<float> destination)
    {
        var (left, top) = Origin(tile);
        var (width, height, size) = (image.Width, image.Height, shape.Size);
        var inside = left >= 0 && left + size <= width;
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < size; y++)
            {
                var row = source.AsSpan((c * height + Reflect.Index(top + y, height)) * width, width);
                var target = destination.Slice((c * size + y) * size, size);
                if (inside)
                {
                    row.Slice(left, size).CopyTo(target);
                    continue;
                }

                for (var x = 0; x < size; x++)
                {
                    target[x] = row[Reflect.Index(left + x, width)];
                }
            }
        }
    }

    public void ReadOutput(int tile, ReadOnlySpan<float> output)
    {
        var (left, top) = Origin(tile);
        var size = shape.OutputSize;
        var (outLeft, outTop) = (left * shape.Scale, top * shape.Scale);
        var outputPlane = outputWidth * outputHeight;
        var firstX = Math.Max(0, -outLeft);
        var endX = Math.Min(size, outputWidth - outLeft);
        for (var y = Math.Max(0, -outTop); y < Math.Min(size, outputHeight - outTop); y++)
        {
            if (feather[y] == 0f)
            {
                continue;
            }

            var rowStart = (outTop + y) * outputWidth + outLeft;
            for (var x = firstX; x < endX; x++)
            {
                var weight = feather[y] * feather[x];
                if (weight == 0f)
                {
                    continue;
                }

                var pixel = rowStart + x;
                weights[pixel] += weight;
                for (var c = 0; c < Channels; c++)
                {
                    var value = output[(c * size + y) * size + x];
                    if (residual)
                    {
                        value = source[c * outputPlane + pixel] - value;
                    }

                    sums[c * outputPlane + pixel] += weight * value;
                }
            }
        }
    }

    public Image<Rgba64> Finish()
    {
        var result = shape.Scale == 1
            ? image.Clone()
            : image.Clone(context => context.Resize(outputWidth, outputHeight, KnownResamplers.Bicubic));
        var plane = outputWidth * outputHeight;
        result.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var pixel = y * outputWidth + x;
                    var weight = weights[pixel];
                    row[x] = new Rgba64(
                        PlanarPixels.ToLevel(sums[pixel] / weight),
                        PlanarPixels.ToLevel(sums[plane + pixel] / weight),
                        PlanarPixels.ToLevel(sums[2 * plane + pixel] / weight),
                        row[x].A);
                }
            }
        });
        return result;
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(source);
        ArrayPool<float>.Shared.Return(sums);
        ArrayPool<float>.Shared.Return(weights);
    }

    private (int Left, int Top) Origin(int tile) =>
        (columns.Starts[tile % columns.Starts.Length], rows.Starts[tile / columns.Starts.Length]);
}
