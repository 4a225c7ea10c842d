using System.Xml.Linq;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Reports;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

public sealed class LatencyChartTests
{
    private static readonly ModelChoice Baseline = new(ModelVariant.Baseline, ModelPrecision.Fp32);

    [Fact]
    public void APercentileTooFewRequestsResolveIsNotDrawn()
    {
        var chart = Chart(Samples.Level(ModelVariant.Baseline, 1, [10, 20, 30]));

        Assert.Equal([true, false, false], Lines(chart).Select(line => line.Attribute("points")!.Value.Length > 0));
    }

    [Fact]
    public void PercentilesThatCoincideStayApartByTheirDashesAndShareOneLabel()
    {
        var chart = Chart(Samples.Level(ModelVariant.Baseline, 1, Enumerable.Repeat(40.0, 100)));

        var lines = Lines(chart);
        Assert.Single(lines.Select(line => line.Attribute("points")!.Value).Distinct());
        Assert.Equal(3, lines.Select(line => line.Attribute("stroke-dasharray")?.Value ?? "solid").Distinct().Count());
        Assert.Single(chart.Descendants(), element => element.Name.LocalName == "text" && element.Value == "c=1");
    }

    private static XDocument Chart(Results.LevelResult level) =>
        XDocument.Parse(LatencyCharts.Render(Samples.Report(level))[LatencyCharts.FileFor(Baseline)]);

    private static List<XElement> Lines(XDocument chart) => [.. chart.Descendants().Where(element => element.Name.LocalName == "polyline")];
}
