using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Reports;

/// <summary>The summary table with aligned columns, then the verdict on the thresholds.</summary>
internal static class ConsoleReport
{
    private const string ColumnGap = "  ";

    public static async Task WriteAsync(LoadTestReport report, TextWriter output)
    {
        var rows = SummaryTable.Rows(report);
        var widths = SummaryTable.Headers
            .Select((header, column) => rows.Select(row => row[column].Length).Prepend(header.Length).Max())
            .ToList();

        await output.WriteLineAsync();
        await output.WriteLineAsync(Line(SummaryTable.Headers, widths));
        await output.WriteLineAsync(Line(widths.Select(width => new string('-', width)).ToList(), widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths));
        }

        foreach (var warning in SummaryTable.Warnings(report))
        {
            await output.WriteLineAsync($"warning: {warning}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(ThresholdVerdict.Summary(report));
        foreach (var violation in report.Violations)
        {
            await output.WriteLineAsync($"  {violation.Message}");
        }
    }

    private static string Line(IReadOnlyList<string> cells, List<int> widths) =>
        string.Join(ColumnGap, cells.Select((cell, column) => column < 2 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column])));
}
