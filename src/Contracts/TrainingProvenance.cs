namespace LiteRestore.Contracts;

public sealed record TrainingProvenance
{
    public required string Data { get; init; }
    public required long Steps { get; init; }
    public required double WallSeconds { get; init; }
    public required int Seed { get; init; }
    public required string CodeRevision { get; init; }
    public required string Device { get; init; }

    /// <summary>Precision of the training steps: <c>fp32</c>, or <c>bf16</c> for bfloat16 autocast.</summary>
    public string? Precision { get; init; }

    /// <summary>The exported model training continued from (file and hash), when it did not start at random.</summary>
    public string? WarmStart { get; init; }
}
