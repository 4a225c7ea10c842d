using System.Globalization;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Reports;

/// <summary>The one-line verdict the console and the Markdown report both open their threshold section with.</summary>
internal static class ThresholdVerdict
{
    public static string Summary(LoadTestReport report)
    {
        var limits = Limits(report.Thresholds);
        if (limits.Count == 0)
        {
            return "No thresholds were set.";
        }

        return report.Passed
            ? $"PASSED: every threshold held ({string.Join(", ", limits)})."
            : string.Create(CultureInfo.InvariantCulture, $"FAILED: {report.Violations.Count} threshold violation(s) ({string.Join(", ", limits)}):");
    }

    private static List<string> Limits(Thresholds thresholds)
    {
        var limits = new List<string>();
        Add(limits, Thresholds.MaxP95Name, thresholds.MaxP95Ms, "ms");
        Add(limits, Thresholds.MaxErrorRateName, thresholds.MaxErrorRate, "");
        Add(limits, Thresholds.MinThroughputName, thresholds.MinRequestsPerSecond, "req/s");
        return limits;
    }

    private static void Add(List<string> limits, string name, double? limit, string unit)
    {
        if (limit is { } value)
        {
            limits.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###}{(unit.Length == 0 ? "" : $" {unit}")}"));
        }
    }
}
