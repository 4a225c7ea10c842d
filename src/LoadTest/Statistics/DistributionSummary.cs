namespace LiteRestore.LoadTest.Statistics;

/// <summary>Count, mean and percentiles of one quantity, in its own unit (milliseconds for every latency here).</summary>
internal sealed record DistributionSummary(int Count, double Mean, double Min, double P50, double P90, double P95, double P99, double Max);
