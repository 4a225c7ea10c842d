namespace LiteRestore.Inference;

/// <summary>
/// The batchers of one model, one per session, each on a thread of its own: ONNX Runtime's <c>Run</c> blocks its thread
/// for the whole batch, and on the thread pool the batchers would starve the threads that accept connections and
/// answer the health probes. Batcher i takes batches from the queue and runs them on session i until the queue is
/// complete and empty.
/// </summary>
internal sealed class Batchers
{
    private readonly List<Task> threads = [];

    public void Start(int count, TileQueue queue, BatchRunner runner, int maxBatch, TimeSpan maxQueueDelay)
    {
        for (var i = 0; i < count; i++)
        {
            var batcher = i;
            threads.Add(Task.Factory.StartNew(
                () => Loop(batcher, queue, runner, maxBatch, maxQueueDelay), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
    }

    /// <summary>Completes when every batcher has run what its queue admitted (the queue must be complete).</summary>
    public Task Finished => Task.WhenAll(threads);

    private static void Loop(int batcher, TileQueue queue, BatchRunner runner, int maxBatch, TimeSpan maxQueueDelay)
    {
        var batch = new List<TileWork>(maxBatch);
        while (queue.TakeBatchAsync(batch, maxBatch, maxQueueDelay, CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            runner.Run(batch, batcher);
        }
    }
}
