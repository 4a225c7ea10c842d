using LiteRestore.Contracts;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Tests.Infrastructure;

/// <summary>Request samples and level results with chosen numbers, for the statistics and threshold tests.</summary>
internal static class Samples
{
    public const double Megapixels = 0.25;

    private static readonly IReadOnlyDictionary<string, double> NoTimings = new Dictionary<string, double>();

    public static RequestSample Success(double latencyMs) => new(latencyMs, null, Megapixels, NoTimings, "m", "cpu");

    public static RequestSample Failure(string error) => new(1, error, Megapixels, NoTimings, null, null);

    /// <summary>One second at concurrency 1 with these successful latencies and this many failures.</summary>
    public static LevelResult Level(
        ModelVariant variant, int clients, IEnumerable<double> latencies, int failures = 0, ModelPrecision precision = ModelPrecision.Fp32) =>
        LevelResult.From(
            new ModelChoice(variant, precision),
            LoadLevel.Concurrency(clients),
            TimeSpan.FromSeconds(1),
            [.. latencies.Select(Success), .. Enumerable.Repeat(Failure("429 overloaded"), failures)],
            probes: [],
            before: null,
            after: null);

    /// <summary>A report of these levels, with no thresholds.</summary>
    public static LoadTestReport Report(params LevelResult[] levels) => new()
    {
        Url = "http://127.0.0.1:5000/",
        Task = RestorationTask.Denoise,
        Format = ImageFormat.Png,
        Images = [],
        DurationSeconds = 1,
        WarmupSeconds = 0,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        Levels = levels,
        Thresholds = new Thresholds(null, null, null),
        Violations = [],
    };
}
