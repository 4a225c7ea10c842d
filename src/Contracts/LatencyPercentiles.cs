namespace LiteRestore.Contracts;

public sealed record LatencyPercentiles(double P50, double P95, double P99, int Samples);
