using System.Globalization;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Results;

/// <summary>One limit one variant missed; <see cref="Level"/> is null for a limit on the variant's best level.</summary>
internal sealed record ThresholdViolation(string Threshold, ModelChoice Model, string? Level, double? Actual, double Limit)
{
    public string Message => string.Create(
        CultureInfo.InvariantCulture,
        $"{Threshold}: {Model.Label}{(Level is null ? "" : $" at {Level}")} measured {(Actual is { } actual ? $"{actual:0.###}" : "nothing (no successful request)")}, limit {Limit:0.###}");
}
