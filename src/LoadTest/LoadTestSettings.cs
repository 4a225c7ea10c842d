using LiteRestore.Contracts;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest;

/// <summary>What one run does, as read from the command line.</summary>
internal sealed record LoadTestSettings
{
    public required Uri Url { get; init; }
    public required RestorationTask Task { get; init; }
    public required IReadOnlyList<ModelVariant> Variants { get; init; }

    /// <summary>Precisions each variant runs in, compared side by side like the variants.</summary>
    public required IReadOnlyList<ModelPrecision> Precisions { get; init; }
    public required IReadOnlyList<LoadLevel> Levels { get; init; }

    /// <summary>Measured time per variant, precision and level.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Unmeasured time at the same load before each measured phase.</summary>
    public required TimeSpan Warmup { get; init; }

    public required ImageFormat Format { get; init; }

    /// <summary>Whether every image goes through the job API instead of the synchronous endpoint.</summary>
    public bool Jobs { get; init; }
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Time between two <c>/healthz</c> probes during a phase; zero: no probes.</summary>
    public required TimeSpan ProbeInterval { get; init; }

    /// <summary>How long a <c>/healthz</c> probe may take before it counts as failed.</summary>
    public required TimeSpan ProbeTimeout { get; init; }
    public required string OutputFolder { get; init; }
    public required Thresholds Thresholds { get; init; }
}
