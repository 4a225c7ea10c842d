using LiteRestore.Contracts;
using LiteRestore.LoadTest.Reports;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

public sealed class SummaryTableTests
{
    private static readonly int[] PercentileColumns = [4, 5, 6, 7]; // p50, p90, p95, p99

    [Fact]
    public void PercentilesThatTooFewRequestsCannotResolveAreLeftOutWithAWarning()
    {
        var report = Samples.Report(Samples.Level(ModelVariant.Baseline, 1, [10, 20, 30]));

        var row = Assert.Single(SummaryTable.Rows(report));

        Assert.Equal(["20.0", "-", "-", "-"], PercentileColumns.Select(column => row[column]));
        Assert.Equal("30.0", row[8]);
        var warning = Assert.Single(SummaryTable.Warnings(report));
        Assert.Contains("baseline at c=1: 3 successful requests resolve latency percentiles only up to p50; p99 needs 100", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AHundredRequestsResolveEveryPercentileWithoutAWarning()
    {
        var report = Samples.Report(Samples.Level(ModelVariant.Baseline, 1, Enumerable.Range(1, 100).Select(i => (double)i)));

        var row = Assert.Single(SummaryTable.Rows(report));

        Assert.Equal(["50.0", "90.0", "95.0", "99.0"], PercentileColumns.Select(column => row[column]));
        Assert.Empty(SummaryTable.Warnings(report));
    }
}
