using LiteRestore.Contracts;
using LiteRestore.LoadTest.Images;

namespace LiteRestore.LoadTest.Results;

/// <summary>Everything one run measured, as written to <c>results.json</c> and rendered into the other reports.</summary>
internal sealed record LoadTestReport
{
    public required string Url { get; init; }
    public required RestorationTask Task { get; init; }
    public required ImageFormat Format { get; init; }
    public required IReadOnlyList<TestImage> Images { get; init; }
    public required double DurationSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required IReadOnlyList<LevelResult> Levels { get; init; }
    public required Thresholds Thresholds { get; init; }
    public required IReadOnlyList<ThresholdViolation> Violations { get; init; }

    public bool Passed => Violations.Count == 0;
}
