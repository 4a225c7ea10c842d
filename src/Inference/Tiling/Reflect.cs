namespace LiteRestore.Inference;

internal static class Reflect
{
    /// <summary>
    /// Maps any index onto [0, length) by mirroring at the edges without repeating the edge pixel
    /// (…2 1 | 0 1 2 … n-1 | n-2 …), repeatedly for indices far outside; a length of 1 maps everything to 0.
    /// </summary>
    public static int Index(int index, int length)
    {
        if ((uint)index < (uint)length)
        {
            return index;
        }

        if (length == 1)
        {
            return 0;
        }

        var period = 2 * (length - 1);
        var folded = ((index % period) + period) % period;
        return folded < length ? folded : period - folded;
    }
}
