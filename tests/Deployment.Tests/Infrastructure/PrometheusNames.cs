using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>
/// The series names under which Prometheus shows an OpenTelemetry instrument, by the specification's Prometheus
/// compatibility rules as the .NET exporter applies them: dots become underscores, the unit is appended in words
/// (annotations such as <c>{tile}</c> are dropped), counters end in <c>_total</c>, histograms are exposed as
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c>. The OpenTelemetry Collector's Prometheus exporter names alike.
/// </summary>
internal static partial class PrometheusNames
{
    private static readonly Dictionary<string, string> UnitWords = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["By"] = "bytes",
    };

    public static IReadOnlyList<string> SeriesOf(string name, string? unit, Type instrumentType)
    {
        var family = Invalid().Replace(name, "_");
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !family.EndsWith($"_{suffix}", StringComparison.Ordinal))
        {
            family = $"{family}_{suffix}";
        }

        var kind = instrumentType.IsGenericType ? instrumentType.GetGenericTypeDefinition() : instrumentType;
        if (kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>))
        {
            return [$"{family}_total"];
        }

        if (kind == typeof(Histogram<>))
        {
            return [$"{family}_bucket", $"{family}_sum", $"{family}_count"];
        }

        if (kind == typeof(ObservableGauge<>) || kind == typeof(Gauge<>) || kind == typeof(UpDownCounter<>) || kind == typeof(ObservableUpDownCounter<>))
        {
            return [family];
        }

        throw new NotSupportedException($"No Prometheus naming rule here for a {instrumentType.Name} ({name}).");
    }

    private static string UnitSuffix(string? unit)
    {
        var plain = Annotation().Replace(unit ?? "", "");
        if (plain.Length == 0)
        {
            return "";
        }

        return UnitWords.TryGetValue(plain, out var words)
            ? words
            : throw new NotSupportedException($"No Prometheus unit rule here for '{unit}': add it from the OpenTelemetry specification.");
    }

    [GeneratedRegex(@"[^A-Za-z0-9_:]")]
    private static partial Regex Invalid();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Annotation();
}
