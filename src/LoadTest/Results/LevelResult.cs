using LiteRestore.Contracts;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest.Results;

/// <summary>
/// One variant in one precision at one load level. Throughput and latency count successful requests only; errors are counted by
/// status and problem code. <see cref="Before"/> and <see cref="After"/> are the model's <c>/v1/models</c> entry around
/// the measured phase (after warm-up).
/// </summary>
internal sealed record LevelResult
{
    public required ModelVariant Variant { get; init; }
    public required ModelPrecision Precision { get; init; }
    public required LoadLevel Level { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required int Requests { get; init; }
    public required int Successes { get; init; }
    public required IReadOnlyDictionary<string, int> Errors { get; init; }
    public required double RequestsPerSecond { get; init; }
    public required double MegapixelsPerSecond { get; init; }
    public required DistributionSummary? LatencyMs { get; init; }

    /// <summary>Each <c>Server-Timing</c> metric (decode, queue, infer, encode, total) over the successful requests.</summary>
    public required IReadOnlyDictionary<string, DistributionSummary> ServerTimingMs { get; init; }

    /// <summary>The distinct <c>X-Model-Id</c> and <c>X-Execution-Provider</c> values the successful answers carried.</summary>
    public required IReadOnlyList<string> ServedBy { get; init; }
    public required IReadOnlyList<string> Providers { get; init; }

    /// <summary>Latency of the <c>/healthz</c> probes answered during the phase, and how many failed or timed out.</summary>
    public required DistributionSummary? ProbeMs { get; init; }
    public required int ProbeFailures { get; init; }

    public required ModelSnapshot? Before { get; init; }
    public required ModelSnapshot? After { get; init; }

    public ModelChoice Model => new(Variant, Precision);

    public double ErrorRate => Requests == 0 ? 0 : (Requests - Successes) / (double)Requests;

    /// <summary>Requests the server counted for the model during the phase, by its own <c>/v1/models</c> counter.</summary>
    public long? ServerRequestsDelta => After?.Requests - Before?.Requests;

    public static LevelResult From(
        ModelChoice choice,
        LoadLevel level,
        TimeSpan elapsed,
        IReadOnlyList<RequestSample> samples,
        IReadOnlyList<double?> probes,
        ModelSnapshot? before,
        ModelSnapshot? after)
    {
        var successes = samples.Where(sample => sample.Succeeded).ToList();
        var seconds = elapsed.TotalSeconds;
        return new LevelResult
        {
            Variant = choice.Variant,
            Precision = choice.Precision,
            Level = level,
            ElapsedSeconds = seconds,
            Requests = samples.Count,
            Successes = successes.Count,
            Errors = samples
                .Where(sample => !sample.Succeeded)
                .GroupBy(sample => sample.Error!)
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count()),
            RequestsPerSecond = successes.Count / seconds,
            MegapixelsPerSecond = successes.Sum(sample => sample.Megapixels) / seconds,
            LatencyMs = new Distribution(successes.Select(sample => sample.LatencyMs)).Summarize(),
            ServerTimingMs = successes
                .SelectMany(sample => sample.ServerTimingMs)
                .GroupBy(timing => timing.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => new Distribution(group.Select(timing => timing.Value)).Summarize()!),
            ServedBy = Distinct(successes.Select(sample => sample.ModelId)),
            Providers = Distinct(successes.Select(sample => sample.Provider)),
            ProbeMs = new Distribution(probes.OfType<double>()).Summarize(),
            ProbeFailures = probes.Count(probe => probe is null),
            Before = before,
            After = after,
        };
    }

    private static List<string> Distinct(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
