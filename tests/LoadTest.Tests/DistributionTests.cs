using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest.Tests;

public sealed class DistributionTests
{
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void PercentilesAreNearestRankOnTheTextbookExample(double percent, double expected)
    {
        // The nearest-rank example of the usual references: 15, 20, 35, 40, 50, given out of order.
        var distribution = new Distribution([40, 15, 50, 35, 20]);

        Assert.Equal(expected, distribution.Percentile(percent));
    }

    [Fact]
    public void TheSummaryOfOneToAThousandHitsEveryPercentileExactly()
    {
        var values = Enumerable.Range(1, 1000).Select(value => (double)value).Reverse();

        var summary = new Distribution(values).Summarize();

        Assert.Equal(new DistributionSummary(1000, 500.5, 1, 500, 900, 950, 990, 1000), summary);
    }

    [Fact]
    public void OneValueIsEveryPercentile()
    {
        var summary = new Distribution([7.5]).Summarize();

        Assert.Equal(new DistributionSummary(1, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5), summary);
    }

    [Fact]
    public void NoValuesHaveNoSummaryAndNoPercentile()
    {
        var distribution = new Distribution([]);

        Assert.Null(distribution.Summarize());
        Assert.Throws<InvalidOperationException>(() => distribution.Percentile(50));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.1)]
    public void APercentOutside0To100IsRefused(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Distribution([1, 2]).Percentile(percent));
    }
}
