using LiteRestore.Contracts;
using LiteRestore.LoadTest.Results;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

public sealed class ThresholdTests
{
    // p95 of 1..100 ms is 95 ms; ten of them in one second is 100 successful requests/s.
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(value => (double)value)];

    [Fact]
    public void NoLimitsPassAnything()
    {
        var levels = new[] { Samples.Level(ModelVariant.Baseline, 1, [5_000], failures: 9) };

        Assert.Empty(new Thresholds(null, null, null).Evaluate(levels));
    }

    [Theory]
    [InlineData(95, false)]
    [InlineData(94.9, true)]
    public void MaxP95FailsOnlyAboveTheLimit(double limit, bool violated)
    {
        var levels = new[] { Samples.Level(ModelVariant.Lightweight, 4, OneToHundred) };

        var violations = new Thresholds(limit, null, null).Evaluate(levels);

        Assert.Equal(violated, violations.Count == 1);
        if (violated)
        {
            var violation = violations[0];
            Assert.Equal((Thresholds.MaxP95Name, ModelVariant.Lightweight, "c=4", 95.0, limit), (violation.Threshold, violation.Model.Variant, violation.Level, violation.Actual, violation.Limit));
            Assert.Contains("lightweight at c=4 measured 95", violation.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MaxP95FailsALevelWithoutOneSuccessfulRequest()
    {
        var levels = new[] { Samples.Level(ModelVariant.Baseline, 1, [], failures: 3) };

        var violation = Assert.Single(new Thresholds(1_000, null, null).Evaluate(levels));

        Assert.Null(violation.Actual);
        Assert.Contains("no successful request", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.1, false)]
    [InlineData(0.09, true)]
    [InlineData(0, true)]
    public void MaxErrorRateFailsOnlyAboveTheLimit(double limit, bool violated)
    {
        // 9 successes and 1 failure: an error rate of 0.1.
        var levels = new[] { Samples.Level(ModelVariant.Baseline, 2, [.. OneToHundred.Take(9)], failures: 1) };

        var violations = new Thresholds(null, limit, null).Evaluate(levels);

        Assert.Equal(violated, violations.Any(violation => violation.Threshold == Thresholds.MaxErrorRateName && violation.Actual == 0.1));
        Assert.Equal(violated ? 1 : 0, violations.Count);
    }

    [Fact]
    public void MinThroughputHoldsForEachVariantsBestLevel()
    {
        var levels = new[]
        {
            Samples.Level(ModelVariant.Baseline, 1, OneToHundred.Take(10)),
            Samples.Level(ModelVariant.Baseline, 2, OneToHundred.Take(30)),
            Samples.Level(ModelVariant.Lightweight, 1, OneToHundred.Take(20)),
            Samples.Level(ModelVariant.Lightweight, 2, OneToHundred.Take(25)),
        };

        var violation = Assert.Single(new Thresholds(null, null, 26).Evaluate(levels));

        Assert.Equal((Thresholds.MinThroughputName, ModelVariant.Lightweight, (string?)null, 25.0), (violation.Threshold, violation.Model.Variant, violation.Level, violation.Actual));
        Assert.Empty(new Thresholds(null, null, 25).Evaluate(levels));
    }

    [Fact]
    public void EveryViolatedLimitOfEveryLevelIsReported()
    {
        var levels = new[]
        {
            Samples.Level(ModelVariant.Baseline, 1, OneToHundred, failures: 50),
            Samples.Level(ModelVariant.Baseline, 2, OneToHundred, failures: 50),
        };

        var violations = new Thresholds(50, 0.2, 1_000).Evaluate(levels);

        Assert.Equal(5, violations.Count);
    }
}
