using System.Globalization;
using LiteRestore.Client;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Results;
using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest.Reports;

/// <summary>The side-by-side table of every variant and level, as text cells for the console and the Markdown report.</summary>
internal static class SummaryTable
{
    public const double BytesPerMebibyte = 1024 * 1024;
    private const string Missing = "-";
    private const int HighestPercentile = 99;
    private static readonly int[] Percentiles = [50, 90, 95, HighestPercentile];

    public static IReadOnlyList<string> Headers { get; } =
    [
        "variant", "load", "req/s", "MP/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms", "errors",
        "srv queue p95", "srv infer p95", "healthz p95", "mean batch", "resident MiB", "provider",
    ];

    public static IReadOnlyList<IReadOnlyList<string>> Rows(LoadTestReport report) =>
        [.. report.Levels.Select(Row)];

    /// <summary>
    /// One line per level whose successful requests are too few to resolve every percentile shown: with fewer than
    /// 100 / (100 - p) samples the p-th percentile is simply the largest, so such cells are left out (<c>-</c>).
    /// </summary>
    public static IReadOnlyList<string> Warnings(LoadTestReport report) =>
    [
        .. report.Levels
            .Where(level => level.LatencyMs is { } latency && latency.Count < SamplesToResolve(HighestPercentile))
            .Select(level => string.Create(CultureInfo.InvariantCulture,
                $"{level.Model.Label} at {level.Level.Label}: {level.LatencyMs!.Count} successful requests resolve latency percentiles only up to p{ResolvedUpTo(level.LatencyMs.Count)}; p{HighestPercentile} needs {SamplesToResolve(HighestPercentile)} (run longer with --duration)")),
    ];

    public static string Number(double? value, string format = "0.0") =>
        value is { } number ? number.ToString(format, CultureInfo.InvariantCulture) : Missing;

    public static string Mebibytes(long? bytes) => Number(bytes / BytesPerMebibyte);

    /// <summary>A model's session layout, e.g. "2 × 1 thread, batch ≤ 1".</summary>
    public static string Engine(EngineLayout? engine) => engine is null
        ? Missing
        : string.Create(CultureInfo.InvariantCulture, $"{engine.Sessions} × {Threads(engine.IntraOpThreads)}, batch ≤ {engine.MaxBatchTiles}");

    public static string Errors(LevelResult level) => level.Errors.Count == 0
        ? "0"
        : string.Create(CultureInfo.InvariantCulture, $"{level.Requests - level.Successes} ({level.ErrorRate:0.#%})");

    /// <summary>Intra-op threads per session; 0 leaves the count to ONNX Runtime.</summary>
    private static string Threads(int count) => count switch
    {
        0 => "default threads",
        1 => "1 thread",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} threads"),
    };

    private static List<string> Row(LevelResult level) =>
    [
        level.Model.Label,
        level.Level.Label,
        Number(level.RequestsPerSecond),
        Number(level.MegapixelsPerSecond, "0.00"),
        Number(Resolved(level.LatencyMs, 50, summary => summary.P50)),
        Number(Resolved(level.LatencyMs, 90, summary => summary.P90)),
        Number(Resolved(level.LatencyMs, 95, summary => summary.P95)),
        Number(Resolved(level.LatencyMs, HighestPercentile, summary => summary.P99)),
        Number(level.LatencyMs?.Max),
        Errors(level),
        Number(ServerP95(level, ServerTimingHeader.Queue)),
        Number(ServerP95(level, ServerTimingHeader.Infer)),
        Probes(level),
        Number(level.After?.MeanBatchSize, "0.00"),
        Mebibytes(level.After?.ResidentBytes),
        level.Providers.Count == 0 ? level.After?.Provider ?? Missing : string.Join("+", level.Providers),
    ];

    /// <summary>The fewest samples whose <paramref name="percentile"/>-th percentile is not necessarily their maximum.</summary>
    public static int SamplesToResolve(int percentile) => (int)Math.Ceiling(100.0 / (100 - percentile));

    private static int ResolvedUpTo(int samples) => Percentiles.Where(p => samples >= SamplesToResolve(p)).DefaultIfEmpty(0).Max();

    private static double? Resolved(DistributionSummary? summary, int percentile, Func<DistributionSummary, double> value) =>
        summary is not null && summary.Count >= SamplesToResolve(percentile) ? value(summary) : null;

    /// <summary>The probes' p95, and how many failed when any did.</summary>
    private static string Probes(LevelResult level) => level.ProbeFailures == 0
        ? Number(level.ProbeMs?.P95)
        : string.Create(CultureInfo.InvariantCulture, $"{Number(level.ProbeMs?.P95)} ({level.ProbeFailures} failed)");

    private static double? ServerP95(LevelResult level, string metric) =>
        level.ServerTimingMs.TryGetValue(metric, out DistributionSummary? summary) ? summary.P95 : null;
}
