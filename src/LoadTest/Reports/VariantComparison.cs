using System.Globalization;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Reports;

/// <summary>
/// Each variant (in each precision run) against the first one run (the reference) at the same load level, and at each
/// one's best level: throughput, p95 latency and resident memory, with their ratios.
/// </summary>
internal static class VariantComparison
{
    public const string BestLevel = "best";

    public static IReadOnlyList<string> Headers { get; } = ["variant vs reference", "load", "req/s", "p95 ms", "resident MiB"];

    public static IReadOnlyList<IReadOnlyList<string>> Rows(LoadTestReport report)
    {
        var byVariant = report.Levels.GroupBy(level => level.Model).ToList();
        if (byVariant.Count < 2)
        {
            return [];
        }

        var reference = byVariant[0].ToList();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var other in byVariant.Skip(1))
        {
            var title = $"{other.Key.Label} vs {reference[0].Model.Label}";
            foreach (var level in other)
            {
                if (reference.FirstOrDefault(candidate => candidate.Level == level.Level) is { } counterpart)
                {
                    rows.Add(Row(title, level.Level.Label, level, counterpart));
                }
            }

            rows.Add(Row(title, BestLevel, Best(other), Best(reference)));
        }

        return rows;
    }

    private static LevelResult Best(IEnumerable<LevelResult> levels) => levels.MaxBy(level => level.RequestsPerSecond)!;

    private static List<string> Row(string title, string load, LevelResult level, LevelResult reference) =>
    [
        title,
        load,
        Compare(level.RequestsPerSecond, reference.RequestsPerSecond),
        Compare(level.LatencyMs?.P95, reference.LatencyMs?.P95),
        Compare(level.After?.ResidentBytes / SummaryTable.BytesPerMebibyte, reference.After?.ResidentBytes / SummaryTable.BytesPerMebibyte),
    ];

    /// <summary>"25.9 vs 13.6 (×1.90)".</summary>
    private static string Compare(double? value, double? reference)
    {
        var text = $"{SummaryTable.Number(value)} vs {SummaryTable.Number(reference)}";
        return value is { } a && reference is { } b && b > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{text} (×{a / b:0.00})")
            : text;
    }
}
