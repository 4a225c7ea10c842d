namespace LiteRestore.LoadTest.Reports;

/// <summary>Round tick values from zero past the largest value: steps of 1, 2 or 5 times a power of ten.</summary>
internal static class AxisTicks
{
    private static readonly double[] StepMantissas = [1, 2, 5, 10];

    public static IReadOnlyList<double> From0To(double max, int targetCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        if (!(max > 0) || double.IsInfinity(max))
        {
            return [0, 1];
        }

        var rough = max / targetCount;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = StepMantissas.Select(mantissa => mantissa * magnitude).First(candidate => candidate >= rough);
        var count = (int)Math.Ceiling(max / step);
        return [.. Enumerable.Range(0, count + 1).Select(index => index * step)];
    }
}
