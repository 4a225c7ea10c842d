namespace LiteRestore.Contracts;

/// <summary>Statistics over a sliding window of recent batches and requests.</summary>
public sealed record ModelLiveStats
{
    public required long Requests { get; init; }
    public required long Failures { get; init; }
    public required int QueueDepth { get; init; }
    public required double MeanBatchSize { get; init; }
    public required LatencyPercentiles QueueWaitMs { get; init; }
    public required LatencyPercentiles InferenceMs { get; init; }
    public required LatencyPercentiles TotalMs { get; init; }
}
