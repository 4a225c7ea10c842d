using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Inference;

/// <summary>
/// Denoise and super-resolve: the image cut into overlapping tiles of one shape in input space (see <see cref="TileGrid"/>),
/// each tile's output accumulated with <see cref="FeatherWindow"/> weights and normalised by the summed weights.
/// </summary>
internal sealed class TiledPlan : IRestorationPlan
{
    private const int Channels = 3;

    private readonly Image<Rgba64> image;
    private readonly TileShape shape;
    private readonly bool residual;
    private readonly TileGrid columns;
    private readonly TileGrid rows;
    private readonly float[] featherX;
    private readonly float[] featherY;
    private readonly int outputWidth;
    private readonly int outputHeight;
    private readonly float[] source;
    private readonly float[] sums;
    private readonly float[] weights;
    private readonly bool opaque;

    public TiledPlan(Image<Rgba64> image, ModelCard card, TileShape shape)
    {
        this.image = image;
        this.shape = shape;
        residual = card.Residual;
        columns = new TileGrid(image.Width, shape.Width, card.Tile.Overlap);
        rows = new TileGrid(image.Height, shape.Height, card.Tile.Overlap);
        featherX = FeatherWindow.Create(shape.Width, card.Tile.Overlap, card.Scale);
        featherY = FeatherWindow.Create(shape.Height, card.Tile.Overlap, card.Scale);
        outputWidth = image.Width * card.Scale;
        outputHeight = image.Height * card.Scale;
        var outputPlane = outputWidth * outputHeight;
        source = PlaneArrays.Rent<float>(Channels * image.Width * image.Height);
        sums = PlaneArrays.Rent<float>(Channels * outputPlane);
        weights = PlaneArrays.Rent<float>(outputPlane);
        sums.AsSpan(0, Channels * outputPlane).Clear();
        weights.AsSpan(0, outputPlane).Clear();
        opaque = PlanarPixels.Read(image, source);
    }

    public int TileCount => columns.Starts.Length * rows.Starts.Length;

    public TileShape Shape => shape;

    public void WriteInput(int tile, Span<float> destination)
    {
        var (left, top) = Origin(tile);
        var (width, height) = (image.Width, image.Height);
        var (tileWidth, tileHeight) = (shape.Width, shape.Height);
        var firstInside = Math.Clamp(-left, 0, tileWidth);
        var endInside = Math.Clamp(width - left, firstInside, tileWidth);
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < tileHeight; y++)
            {
                var row = source.AsSpan((c * height + Reflect.Index(top + y, height)) * width, width);
                var target = destination.Slice((c * tileHeight + y) * tileWidth, tileWidth);
                row.Slice(left + firstInside, endInside - firstInside).CopyTo(target[firstInside..]);
                for (var x = 0; x < firstInside; x++)
                {
                    target[x] = row[Reflect.Index(left + x, width)];
                }

                for (var x = endInside; x < tileWidth; x++)
                {
                    target[x] = row[Reflect.Index(left + x, width)];
                }
            }
        }
    }

    public void ReadOutput(int tile, ReadOnlySpan<float> output)
    {
        var (left, top) = Origin(tile);
        var (tileWidth, tileHeight) = (shape.OutputWidth, shape.OutputHeight);
        var (outLeft, outTop) = (left * shape.Scale, top * shape.Scale);
        var outputPlane = outputWidth * outputHeight;
        var firstX = Math.Max(0, -outLeft);
        var columns = Math.Min(tileWidth, outputWidth - outLeft) - firstX;
        var rowFeather = featherX.AsSpan(firstX, columns);
        for (var y = Math.Max(0, -outTop); y < Math.Min(tileHeight, outputHeight - outTop); y++)
        {
            var columnFeather = featherY[y];
            var start = (outTop + y) * outputWidth + outLeft + firstX;
            var weightRow = weights.AsSpan(start, columns);
            for (var x = 0; x < weightRow.Length; x++)
            {
                weightRow[x] += columnFeather * rowFeather[x];
            }

            for (var c = 0; c < Channels; c++)
            {
                var values = output.Slice((c * tileHeight + y) * tileWidth + firstX, columns);
                var sumRow = sums.AsSpan(c * outputPlane + start, columns);
                var inputRow = residual ? source.AsSpan(c * outputPlane + start, columns) : default;
                AccumulateRow(sumRow, values, inputRow, columnFeather, rowFeather);
            }
        }
    }

    /// <summary>
    /// Adds one channel's row of a tile, weighted by the feather. Given the input's row, the network is residual: its
    /// output is what to take away from the input.
    /// </summary>
    private static void AccumulateRow(Span<float> sums, ReadOnlySpan<float> values, ReadOnlySpan<float> input, float featherY, ReadOnlySpan<float> featherX)
    {
        if (input.IsEmpty)
        {
            for (var x = 0; x < sums.Length; x++)
            {
                sums[x] += featherY * featherX[x] * values[x];
            }

            return;
        }

        for (var x = 0; x < sums.Length; x++)
        {
            sums[x] += featherY * featherX[x] * (input[x] - values[x]);
        }
    }

    public Image<Rgba64> Finish()
    {
        var result = NewResultImage();
        var plane = outputWidth * outputHeight;
        result.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var start = y * outputWidth;
                var weightRow = weights.AsSpan(start, outputWidth);
                var red = sums.AsSpan(start, outputWidth);
                var green = sums.AsSpan(plane + start, outputWidth);
                var blue = sums.AsSpan(2 * plane + start, outputWidth);
                for (var x = 0; x < row.Length; x++)
                {
                    var scale = 1f / weightRow[x];
                    row[x] = new Rgba64(
                        PlanarPixels.ToLevel(red[x] * scale),
                        PlanarPixels.ToLevel(green[x] * scale),
                        PlanarPixels.ToLevel(blue[x] * scale),
                        opaque ? ushort.MaxValue : row[x].A);
                }
            }
        });
        return result;
    }

    public void Dispose()
    {
        PlaneArrays.Return(source);
        PlaneArrays.Return(sums);
        PlaneArrays.Return(weights);
    }

    /// <summary>An image of the output size that carries the input's alpha (resized with it); a blank one when the input is opaque.</summary>
    private Image<Rgba64> NewResultImage()
    {
        if (opaque)
        {
            return new Image<Rgba64>(image.GetConfiguration(), outputWidth, outputHeight);
        }

        return shape.Scale == 1
            ? image.Clone()
            : image.Clone(context => context.Resize(outputWidth, outputHeight, KnownResamplers.Bicubic));
    }

    private (int Left, int Top) Origin(int tile) =>
        (columns.Starts[tile % columns.Starts.Length], rows.Starts[tile / columns.Starts.Length]);
}
