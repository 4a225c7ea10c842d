using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Per-model statistics for <c>/v1/models</c>: counts since start, timings and batch sizes over a sliding window.</summary>
internal sealed class LiveStats(int window)
{
    private readonly SlidingWindow queueWaitMs = new(window);
    private readonly SlidingWindow inferenceMs = new(window);
    private readonly SlidingWindow totalMs = new(window);
    private readonly SlidingWindow batchSizes = new(window);
    private long requests;
    private long failures;

    public void RecordBatch(int tiles, TimeSpan inference)
    {
        batchSizes.Add(tiles);
        inferenceMs.Add(inference.TotalMilliseconds);
    }

    public void RecordRequest(TimeSpan queueWait, TimeSpan total)
    {
        Interlocked.Increment(ref requests);
        queueWaitMs.Add(queueWait.TotalMilliseconds);
        totalMs.Add(total.TotalMilliseconds);
    }

    /// <summary>
    /// Counts a request that did not succeed; a failure only where the service failed or refused it, not where the
    /// client got it wrong: the rule of the <c>literestore.failures</c> and <c>literestore.client_errors</c> counters.
    /// </summary>
    public void RecordUnsuccessful(Exception e)
    {
        Interlocked.Increment(ref requests);
        if (e is not RestorationException failure || !ErrorCodes.IsClientMistake(failure.Code))
        {
            Interlocked.Increment(ref failures);
        }
    }

    public ModelLiveStats Snapshot(int queueDepth)
    {
        var sizes = batchSizes.Snapshot();
        return new ModelLiveStats
        {
            Requests = Interlocked.Read(ref requests),
            Failures = Interlocked.Read(ref failures),
            QueueDepth = queueDepth,
            MeanBatchSize = sizes.Length == 0 ? 0 : sizes.Average(),
            QueueWaitMs = queueWaitMs.Percentiles(),
            InferenceMs = inferenceMs.Percentiles(),
            TotalMs = totalMs.Percentiles(),
        };
    }
}
