using LiteRestore.Contracts;
using LiteRestore.LoadTest.Results;
using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest.Reports;

/// <summary>Latency against achieved throughput, one point per load level: a chart per variant and one comparing their p95.</summary>
internal static class LatencyCharts
{
    public const string ComparisonFile = "latency-throughput-p95.svg";

    private const string XTitle = "throughput (successful requests/s)";
    private const string YTitle = "latency (ms)";

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];

    private static readonly (string Name, Func<DistributionSummary, double> Value)[] Percentiles =
    [
        ("p50", summary => summary.P50),
        ("p95", summary => summary.P95),
        ("p99", summary => summary.P99),
    ];

    public static string FileFor(ModelVariant variant) => $"latency-throughput-{Wire.Name(variant)}.svg";

    /// <summary>Every chart of the report by file name.</summary>
    public static IReadOnlyDictionary<string, string> Render(LoadTestReport report)
    {
        var variants = report.Levels.Select(level => level.Variant).Distinct().ToList();
        var charts = variants.ToDictionary(
            FileFor,
            variant => LineChart.Render(
                $"{Wire.Name(report.Task)} {Wire.Name(variant)}: latency vs throughput",
                XTitle,
                YTitle,
                [.. Percentiles.Select((percentile, index) => Series(percentile.Name, Palette[index], report, variant, percentile.Value))]));
        charts[ComparisonFile] = LineChart.Render(
            $"{Wire.Name(report.Task)}: p95 latency vs throughput by variant",
            XTitle,
            YTitle,
            [.. variants.Select((variant, index) => Series($"{Wire.Name(variant)} p95", Palette[index % Palette.Length], report, variant, summary => summary.P95))]);
        return charts;
    }

    private static ChartSeries Series(string name, string color, LoadTestReport report, ModelVariant variant, Func<DistributionSummary, double> value) =>
        new(name, color, [.. report.Levels
            .Where(level => level.Variant == variant && level.LatencyMs is not null)
            .Select(level => new ChartPoint(level.RequestsPerSecond, value(level.LatencyMs!), level.Level.Label))]);
}
