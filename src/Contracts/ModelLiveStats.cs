namespace LiteRestore.Contracts;

/// <summary>Statistics over a sliding window of recent batches and requests.</summary>
public sealed record ModelLiveStats
{
    public required long Requests { get; init; }

    /// <summary>Requests the service failed or refused (a client's mistake is none), as <c>literestore_failures_total</c> counts them.</summary>
    public required long Failures { get; init; }
    public required int QueueDepth { get; init; }
    public required double MeanBatchSize { get; init; }
    public required LatencyPercentiles QueueWaitMs { get; init; }
    public required LatencyPercentiles InferenceMs { get; init; }
    public required LatencyPercentiles TotalMs { get; init; }
}
