namespace LiteRestore.Inference;

/// <summary>
/// Where the tiles of one image axis start. The axis is first padded by reflection with <see cref="Margin"/> = overlap/2
/// pixels on each side; tiles of <c>size</c> then step by <c>size - overlap</c>, the last one flush with the padded end.
/// Starts are in image coordinates (the first is <c>-Margin</c>); an axis shorter than a tile gets one tile that reaches
/// past it into the reflection.
/// </summary>
internal sealed class TileGrid
{
    public TileGrid(int length, int size, int overlap)
    {
        Margin = overlap / 2;
        var padded = length + 2 * Margin;
        var stride = size - overlap;
        var starts = new List<int>();
        for (var start = 0; ; start += stride)
        {
            if (start + size >= padded)
            {
                starts.Add(Math.Max(0, padded - size) - Margin);
                break;
            }

            starts.Add(start - Margin);
        }

        Starts = starts.ToArray();
    }

    public int Margin { get; }

    public int[] Starts { get; }
}

/// <summary>
/// Blending weight across one tile axis in output pixels. The outer quarter of the overlap next to each edge gets
/// weight 0: convolutions there see the tile's edge instead of the image, and a neighbouring tile (or the cropped
/// reflection margin) always covers those pixels with weight. The rest of the overlap ramps up linearly, so seams fade.
/// </summary>
internal static class FeatherWindow
{
    public static float[] Create(int size, int overlap, int scale)
    {
        var length = size * scale;
        var discard = overlap / 4 * scale;
        var ramp = overlap / 2 * scale - discard + 1;
        var weights = new float[length];
        for (var i = 0; i < length; i++)
        {
            var fromEdge = Math.Min(i, length - 1 - i);
            weights[i] = fromEdge < discard ? 0f : Math.Min(1f, (fromEdge - discard + 1) / (float)ramp);
        }

        return weights;
    }
}
