namespace LiteRestore.LoadTest.Statistics;

/// <summary>
/// Every recorded value, sorted: percentiles are exact (nearest rank), which at load-test volumes costs less than
/// the error a bucketed histogram would add.
/// </summary>
internal sealed class Distribution
{
    private readonly double[] sorted;

    public Distribution(IEnumerable<double> values)
    {
        sorted = [.. values];
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;

    /// <summary>The smallest value with at least <paramref name="percent"/>% of the values at or below it.</summary>
    public double Percentile(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("A percentile of no values is undefined.");
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }

    /// <summary>The summary the reports print, or null when nothing was recorded.</summary>
    public DistributionSummary? Summarize() => sorted.Length == 0
        ? null
        : new DistributionSummary(
            sorted.Length,
            sorted.Average(),
            sorted[0],
            Percentile(50),
            Percentile(90),
            Percentile(95),
            Percentile(99),
            sorted[^1]);
}
