using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Reports;

/// <summary><c>report.md</c>: the run's settings, the summary table, errors, server-side timings and models, thresholds and charts.</summary>
internal static class MarkdownReport
{
    public static string Render(LoadTestReport report, IEnumerable<string> chartFiles)
    {
        var text = new StringBuilder();
        Append(text, $"# Load test: {WireNames.Of(report.Task)}");
        Append(text);
        Append(text, $"- service: {report.Url}");
        Append(text, $"- run: {report.StartedAt:u} to {report.FinishedAt:u}; {report.WarmupSeconds:0.#} s warm-up and {report.DurationSeconds:0.#} s measured per variant and level");
        Append(text, $"- answers requested as {WireNames.Of(report.Format)}; images sent in turn: {string.Join(", ", report.Images.Select(image => $"{image.Name} ({image.Width}x{image.Height}, {image.Bytes} bytes{(image.Mask is null ? "" : ", with mask")})"))}");
        Append(text, "- latency: until the whole answer was read, over successful requests; in rate mode counted from each request's scheduled send time");
        Append(text, "- MP/s: megapixels of input images restored per second");
        Append(text, $"- healthz p95: latency of the GET {HealthProbe.Path} probes sent at a fixed interval during the measured phase, as a liveness probe would; failed or timed-out probes are counted beside it");
        Append(text);
        AppendSummary(text, report);
        AppendThresholdsAndErrors(text, report);
        AppendServerSide(text, report);

        Append(text);
        Append(text, "## Latency against throughput");
        Append(text);
        foreach (var chart in chartFiles)
        {
            Append(text, $"![{chart}]({chart})");
            Append(text);
        }

        return text.ToString();
    }

    /// <summary>The summary table, its warnings, and the variants compared.</summary>
    private static void AppendSummary(StringBuilder text, LoadTestReport report)
    {
        Append(text, "## Summary");
        Append(text);
        AppendTable(text, SummaryTable.Headers, SummaryTable.Rows(report));
        Append(text);
        var warnings = SummaryTable.Warnings(report);
        foreach (var warning in warnings)
        {
            Append(text, $"- warning: {warning}");
        }

        if (warnings.Count > 0)
        {
            Append(text);
        }

        var comparison = VariantComparison.Rows(report);
        if (comparison.Count > 0)
        {
            Append(text, "## Variants compared");
            Append(text);
            Append(text, "Each variant against the first one run, at the same load level and at each one's best level (highest throughput); ×: the ratio.");
            Append(text);
            AppendTable(text, VariantComparison.Headers, comparison);
            Append(text);
        }
    }

    private static void AppendThresholdsAndErrors(StringBuilder text, LoadTestReport report)
    {
        Append(text, "## Thresholds");
        Append(text);
        Append(text, ThresholdVerdict.Summary(report));
        foreach (var violation in report.Violations)
        {
            Append(text, $"- {violation.Message}");
        }

        Append(text);
        Append(text, "## Errors");
        Append(text);
        var failing = report.Levels.Where(level => level.Errors.Count > 0).ToList();
        if (failing.Count == 0)
        {
            Append(text, "Every request succeeded.");
        }
        else
        {
            AppendTable(text, ["variant", "load", "requests", "errors by status and code"], [.. failing.Select(level => (IReadOnlyList<string>)
                [level.Model.Label, level.Level.Label, Count(level.Requests), string.Join(", ", level.Errors.Select(error => $"{error.Key}: {error.Value}"))])]);
        }
    }

    /// <summary>What the service said of each level: its Server-Timing and its models' statistics before and after.</summary>
    private static void AppendServerSide(StringBuilder text, LoadTestReport report)
    {
        Append(text);
        Append(text, "## Server-side timings (Server-Timing, ms)");
        Append(text);
        AppendTable(text, ["variant", "load", "metric", "p50", "p90", "p95", "p99", "max"], [.. report.Levels.SelectMany(level =>
            level.ServerTimingMs.Select(metric => (IReadOnlyList<string>)
                [level.Model.Label, level.Level.Label, metric.Key, SummaryTable.Number(metric.Value.P50), SummaryTable.Number(metric.Value.P90),
                 SummaryTable.Number(metric.Value.P95), SummaryTable.Number(metric.Value.P99), SummaryTable.Number(metric.Value.Max)]))]);

        Append(text);
        Append(text, "## Models (GET /v1/models before and after each measured phase)");
        Append(text);
        AppendTable(
            text,
            ["variant", "load", "model", "provider", "engine (sessions × threads, batch)", "resident MiB", "peak working MiB", "mean batch before → after", "server requests Δ", "server failures Δ", "requests sent"],
            [.. report.Levels.Select(level => (IReadOnlyList<string>)
                [level.Model.Label, level.Level.Label, level.After?.Id ?? "-", level.After?.Provider ?? "-", SummaryTable.Engine(level.After?.Engine),
                 SummaryTable.Mebibytes(level.After?.ResidentBytes), SummaryTable.Mebibytes(level.After?.PeakWorkingBytes),
                 $"{SummaryTable.Number(level.Before?.MeanBatchSize, "0.00")} → {SummaryTable.Number(level.After?.MeanBatchSize, "0.00")}",
                 SummaryTable.Number(level.ServerRequestsDelta, "0"), SummaryTable.Number(level.After?.Failures - level.Before?.Failures, "0"),
                 Count(level.Requests)])]);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendTable(StringBuilder text, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        Append(text, $"| {string.Join(" | ", headers)} |");
        Append(text, $"|{string.Concat(headers.Select(_ => "---|"))}");
        foreach (var row in rows)
        {
            Append(text, $"| {string.Join(" | ", row)} |");
        }
    }

    private static void Append(StringBuilder text, string line = "") => text.AppendLine(line);
}
