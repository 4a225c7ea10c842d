using Microsoft.Extensions.Options;

namespace LiteRestore.Inference.Admission;

/// <summary>
/// The working memory that runs of sized CPU tiles may take together, process-wide: room for one tile of
/// <see cref="InferenceOptions.CpuTileMegabytes"/> per CPU session of a model. Each session runs one tile at a time,
/// but every model has sessions of its own, so under mixed traffic more runs than that could otherwise hold large
/// tiles at once. A run waits here for room before it starts (within its time limit), and hands it back when it ends;
/// runs of native tiles use what their sessions' arenas kept from warm-up and need none.
/// </summary>
public sealed class TileRunMemory
{
    private readonly object gate = new();
    private long inUse;

    public TileRunMemory(IOptions<InferenceOptions> options)
    {
        var value = options.Value;
        Capacity = value.CpuTileMegabytes * 1024L * 1024 * EngineLayouts.For(value, cuda: false).Sessions;
    }

    public long Capacity { get; }

    /// <summary>
    /// Waits until <paramref name="bytes"/> (at most the whole capacity) are free and takes them; disposing the result
    /// gives them back. Cancelling <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    internal IDisposable Acquire(long bytes, CancellationToken cancellationToken)
    {
        var taken = Math.Min(bytes, Capacity);
        using var wake = cancellationToken.Register(static state =>
        {
            lock (state!)
            {
                Monitor.PulseAll(state);
            }
        }, gate);
        lock (gate)
        {
            while (inUse + taken > Capacity)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(gate);
            }

            cancellationToken.ThrowIfCancellationRequested();
            inUse += taken;
        }

        return new Lease(this, taken);
    }

    private void Release(long bytes)
    {
        lock (gate)
        {
            inUse -= bytes;
            Monitor.PulseAll(gate);
        }
    }

    private sealed class Lease(TileRunMemory memory, long bytes) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                memory.Release(bytes);
            }
        }
    }
}
