namespace LiteRestore.Inference;

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
