using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>The most recent samples of one quantity, for percentiles over a sliding window.</summary>
internal sealed class SlidingWindow(int capacity)
{
    private readonly double[] samples = new double[capacity];
    private readonly Lock gate = new();
    private int next;
    private int count;

    public void Add(double value)
    {
        lock (gate)
        {
            samples[next] = value;
            next = (next + 1) % samples.Length;
            count = Math.Min(count + 1, samples.Length);
        }
    }

    public double[] Snapshot()
    {
        lock (gate)
        {
            return samples.AsSpan(0, count).ToArray();
        }
    }

    public LatencyPercentiles Percentiles()
    {
        var values = Snapshot();
        Array.Sort(values);
        return new LatencyPercentiles(At(values, 0.50), At(values, 0.95), At(values, 0.99), values.Length);
    }

    /// <summary>Nearest-rank percentile; 0 without samples.</summary>
    private static double At(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
