namespace LiteRestore.Inference;

/// <summary>What one model's <see cref="TileQueue"/> admits, and what it tells those it turns away.</summary>
/// <param name="CapacityTiles">Tiles that may run before a new request's last one (<see cref="InferenceOptions.QueueCapacityTiles"/>).</param>
/// <param name="MaxWait">
/// Longest that other requests' tiles may delay a new one, at the measured drain rate: <see cref="InferenceOptions.MaxQueueWait"/>
/// less <see cref="InferenceOptions.QueueWaitReserve"/>.
/// </param>
/// <param name="RetryAfter">Least wait a rejected caller is told (<see cref="InferenceOptions.QueueFullRetryAfter"/>).</param>
internal readonly record struct QueueLimits(int CapacityTiles, TimeSpan MaxWait, TimeSpan RetryAfter)
{
    public static QueueLimits From(InferenceOptions options) =>
        new(options.QueueCapacityTiles, options.MaxQueueWait * (1 - options.QueueWaitReserve), options.QueueFullRetryAfter);
}
