namespace LiteRestore.LoadTest.Results;

/// <summary>
/// Limits a staging pipeline gates on. The p95 and error-rate limits hold for every variant at every load level; the
/// throughput limit holds for each variant's best level (a sweep's lowest level is never expected to reach it).
/// </summary>
internal sealed record Thresholds(double? MaxP95Ms, double? MaxErrorRate, double? MinRequestsPerSecond)
{
    public const string MaxP95Name = "max-p95";
    public const string MaxErrorRateName = "max-error-rate";
    public const string MinThroughputName = "min-throughput";

    public IReadOnlyList<ThresholdViolation> Evaluate(IReadOnlyList<LevelResult> levels)
    {
        var violations = new List<ThresholdViolation>();
        foreach (var level in levels)
        {
            if (MaxP95Ms is { } maxP95)
            {
                var p95 = level.LatencyMs?.P95;
                if (p95 is null || p95 > maxP95)
                {
                    violations.Add(new ThresholdViolation(MaxP95Name, level.Model, level.Level.Label, p95, maxP95));
                }
            }

            if (MaxErrorRate is { } maxErrorRate && level.ErrorRate > maxErrorRate)
            {
                violations.Add(new ThresholdViolation(MaxErrorRateName, level.Model, level.Level.Label, level.ErrorRate, maxErrorRate));
            }
        }

        if (MinRequestsPerSecond is { } minThroughput)
        {
            foreach (var variant in levels.GroupBy(level => level.Model))
            {
                var best = variant.Max(level => level.RequestsPerSecond);
                if (best < minThroughput)
                {
                    violations.Add(new ThresholdViolation(MinThroughputName, variant.Key, null, best, minThroughput));
                }
            }
        }

        return violations;
    }
}
