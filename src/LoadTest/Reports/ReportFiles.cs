using System.Text.Json;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Reports;

/// <summary>Writes <c>report.md</c>, <c>results.json</c> and the SVG charts into the output folder.</summary>
internal static class ReportFiles
{
    public const string Markdown = "report.md";
    public const string Json = "results.json";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The paths written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(LoadTestReport report, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var charts = LatencyCharts.Render(report);
        var files = new Dictionary<string, string>(charts)
        {
            [Markdown] = MarkdownReport.Render(report, charts.Keys),
            [Json] = JsonSerializer.Serialize(report, JsonOptions),
        };

        var paths = new List<string>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(folder, name);
            await File.WriteAllTextAsync(path, content, cancellationToken);
            paths.Add(path);
        }

        return paths;
    }
}
