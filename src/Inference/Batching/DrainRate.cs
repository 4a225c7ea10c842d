namespace LiteRestore.Inference;

/// <summary>
/// How fast a model's queue drains, learnt from the batches it runs: the mean time one batcher spends on a tile,
/// shared among the batchers (the most that have run side by side). Batch times, unlike the gaps between tiles taken,
/// hold from the first batch on and track the slowdown when the sessions share the cores under load. Not thread-safe:
/// its queue calls it under its own lock.
/// </summary>
internal sealed class DrainRate
{
    /// <summary>Weight of the latest batch in the mean time one batcher spends on a tile.</summary>
    private const double TileTimeSmoothing = 0.2;

    private int batchesRunning;
    private int peakBatchesRunning;
    private double secondsPerTileOnOneBatcher;

    /// <summary>Seconds the queue takes to drain one tile; 0 until a batch has run.</summary>
    public double SecondsPerTile => peakBatchesRunning == 0 ? 0 : secondsPerTileOnOneBatcher / peakBatchesRunning;

    public void BatchStarted()
    {
        batchesRunning++;
        peakBatchesRunning = Math.Max(peakBatchesRunning, batchesRunning);
    }

    /// <summary>Learns from a batch of <paramref name="tiles"/> that ran for <paramref name="runTime"/> (null where it failed, which says nothing of the rate).</summary>
    public void BatchFinished(int tiles, TimeSpan? runTime)
    {
        batchesRunning--;
        if (runTime is { } time && tiles > 0)
        {
            var perTile = time.TotalSeconds / tiles;
            secondsPerTileOnOneBatcher = secondsPerTileOnOneBatcher == 0
                ? perTile
                : secondsPerTileOnOneBatcher + (TileTimeSmoothing * (perTile - secondsPerTileOnOneBatcher));
        }
    }
}
