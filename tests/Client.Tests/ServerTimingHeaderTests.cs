namespace LiteRestore.Client.Tests;

public sealed class ServerTimingHeaderTests
{
    [Fact]
    public void TheServicesHeaderGivesEveryMetricInMilliseconds()
    {
        var timings = ServerTimingHeader.Parse("decode;dur=1.5, queue;dur=0.25, infer;dur=12, encode;dur=3.125, total;dur=17.003");

        Assert.Equal(
            new Dictionary<string, double> { ["decode"] = 1.5, ["queue"] = 0.25, ["infer"] = 12, ["encode"] = 3.125, ["total"] = 17.003 },
            timings);
    }

    [Fact]
    public void DescriptionsSpacesAndParameterOrderDoNotMatter()
    {
        var timings = ServerTimingHeader.Parse("db ; desc=\"primary\" ; dur = 53.2 ,app;dur=\"47\";desc=x");

        Assert.Equal(53.2, timings["db"]);
        Assert.Equal(47, timings["app"]);
    }

    [Fact]
    public void MetricsWithoutAReadableDurationAreLeftOut()
    {
        var timings = ServerTimingHeader.Parse("miss, cache;desc=hit, queue;dur=abc, infer;dur=4");

        Assert.Equal("infer", Assert.Single(timings.Keys));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoHeaderIsNoMetrics(string? header)
    {
        Assert.Empty(ServerTimingHeader.Parse(header));
    }

    [Fact]
    public void MetricNamesAreMatchedWithoutRegardToCase()
    {
        Assert.Equal(2, ServerTimingHeader.Parse("Queue;dur=2")[ServerTimingHeader.Queue]);
    }
}
