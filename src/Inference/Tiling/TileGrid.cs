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
