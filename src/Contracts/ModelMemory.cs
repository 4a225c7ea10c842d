namespace LiteRestore.Contracts;

/// <summary>Memory measured around session creation and warm-up, and per batch size while running one batch.</summary>
public sealed record ModelMemory
{
    public required long ResidentBytes { get; init; }
    public required IReadOnlyDictionary<int, long> WorkingBytesByBatchSize { get; init; }
}
