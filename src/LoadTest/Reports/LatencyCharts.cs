using LiteRestore.Contracts;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Results;
using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest.Reports;

/// <summary>
/// Latency against achieved throughput, one point per load level: a chart per variant (in each precision run) and one
/// comparing their p95.
/// </summary>
internal static class LatencyCharts
{
    public const string ComparisonFile = "latency-throughput-p95.svg";

    private const string XTitle = "throughput (successful requests/s)";
    private const string YTitle = "latency (ms)";

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd"];

    /// <summary>Each percentile drawn, dashed apart: with few samples the upper ones coincide where they are drawn at all.</summary>
    private static readonly (string Name, int Percent, string Dash, Func<DistributionSummary, double> Value)[] Percentiles =
    [
        ("p50", 50, "", summary => summary.P50),
        ("p95", 95, "7 4", summary => summary.P95),
        ("p99", 99, "2 3", summary => summary.P99),
    ];

    public static string FileFor(ModelChoice model) => $"latency-throughput-{model.Label.Replace(' ', '-')}.svg";

    /// <summary>Every chart of the report by file name.</summary>
    public static IReadOnlyDictionary<string, string> Render(LoadTestReport report)
    {
        var models = report.Levels.Select(level => level.Model).Distinct().ToList();
        var charts = models.ToDictionary(
            FileFor,
            model => LineChart.Render(
                $"{WireNames.Of(report.Task)} {model.Label}: latency vs throughput",
                XTitle,
                YTitle,
                [.. Percentiles.Select((percentile, index) => Series(percentile.Name, Palette[index], percentile.Dash, report, model, percentile.Percent, percentile.Value))]));
        charts[ComparisonFile] = LineChart.Render(
            $"{WireNames.Of(report.Task)}: p95 latency vs throughput by variant",
            XTitle,
            YTitle,
            [.. models.Select((model, index) => Series($"{model.Label} p95", Palette[index % Palette.Length], string.Empty, report, model, 95, summary => summary.P95))]);
        return charts;
    }

    /// <summary>The percentile at each level whose successful requests resolve it (<see cref="SummaryTable.SamplesToResolve"/>).</summary>
    private static ChartSeries Series(
        string name, string color, string dash, LoadTestReport report, ModelChoice model, int percent, Func<DistributionSummary, double> value) =>
        new(name, color, [.. report.Levels
            .Where(level => level.Model == model && level.LatencyMs is { } latency && latency.Count >= SummaryTable.SamplesToResolve(percent))
            .Select(level => new ChartPoint(level.RequestsPerSecond, value(level.LatencyMs!), level.Level.Label))], dash);
}
