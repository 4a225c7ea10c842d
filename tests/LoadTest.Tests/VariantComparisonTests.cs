using LiteRestore.Contracts;
using LiteRestore.LoadTest.Reports;
using LiteRestore.LoadTest.Results;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

public sealed class VariantComparisonTests
{
    // c=4 has no baseline counterpart; memory is unknown without /v1/models snapshots.
    private static readonly string[][] LightweightAgainstBaseline =
    [
        ["lightweight vs baseline", "c=1", "15.0 vs 10.0 (×1.50)", "100.0 vs 200.0 (×0.50)", "- vs -"],
        ["lightweight vs baseline", "c=2", "40.0 vs 20.0 (×2.00)", "100.0 vs 400.0 (×0.25)", "- vs -"],
        ["lightweight vs baseline", VariantComparison.BestLevel, "40.0 vs 20.0 (×2.00)", "100.0 vs 400.0 (×0.25)", "- vs -"],
    ];

    [Fact]
    public void EachVariantIsComparedWithTheFirstAtEverySharedLevelAndAtItsBest()
    {
        var report = Samples.Report(
            Samples.Level(ModelVariant.Baseline, 1, Latencies(10, 200)),
            Samples.Level(ModelVariant.Baseline, 2, Latencies(20, 400)),
            Samples.Level(ModelVariant.Lightweight, 1, Latencies(15, 100)),
            Samples.Level(ModelVariant.Lightweight, 2, Latencies(40, 100)),
            Samples.Level(ModelVariant.Lightweight, 4, Latencies(30, 300)));

        var rows = VariantComparison.Rows(report);

        Assert.Equal(LightweightAgainstBaseline, rows);
    }

    [Fact]
    public void EachPrecisionOfAVariantIsComparedLikeAVariantOfItsOwn()
    {
        var report = Samples.Report(
            Samples.Level(ModelVariant.Baseline, 1, Latencies(10, 200)),
            Samples.Level(ModelVariant.Baseline, 1, Latencies(25, 80), precision: ModelPrecision.Int8));

        var rows = VariantComparison.Rows(report);

        Assert.Equal(["baseline int8 vs baseline", "c=1", "25.0 vs 10.0 (×2.50)", "80.0 vs 200.0 (×0.40)", "- vs -"], rows[0]);
    }

    [Fact]
    public void OneVariantHasNothingToBeComparedWith()
    {
        Assert.Empty(VariantComparison.Rows(Samples.Report(Samples.Level(ModelVariant.Lightweight, 1, Latencies(5, 10)))));
    }

    /// <summary>This many requests in the level's one second, all with this latency.</summary>
    private static IEnumerable<double> Latencies(int count, double latencyMs) => Enumerable.Repeat(latencyMs, count);
}
