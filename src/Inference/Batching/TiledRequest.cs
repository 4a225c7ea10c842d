using System.Diagnostics;

namespace LiteRestore.Inference;

/// <summary>
/// One request's tiles on a model's queue. All access to the plan goes through this object's lock, and stops once the
/// request is closed (cancelled or failed), so the caller may dispose the plan as soon as the request's task ends. The
/// queue counts work in native tiles: each of this request's tiles stands for <c>tileWork</c> of them.
/// </summary>
internal sealed class TiledRequest(
    IRestorationPlan plan, ActivityContext trace, CancellationToken cancellationToken, IProgress<TileProgress>? progress = null, bool background = false,
    int tileWork = 1)
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int nextTile;
    private int doneTiles;
    private int settledTiles;
    private bool closed;
    private long batchTicks;
    private readonly List<string> providers = [];

    public int TileCount { get; } = plan.TileCount;

    public TileShape Shape { get; } = plan.Shape;

    /// <summary>Native tiles of work that one of its tiles stands for.</summary>
    public int TileWork { get; } = tileWork;

    /// <summary>All its tiles' work, in native tiles.</summary>
    public int Work => TileCount * TileWork;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Whether nobody waits for the answer (a job): the queue promises it no wait, only room.</summary>
    public bool Background { get; } = background;

    /// <summary>Work of other requests (native tiles) that runs before this one's last tile, as its queue counts it under the queue's lock.</summary>
    public int DelayTiles { get; set; }

    public ActivityContext Trace { get; } = trace;

    public DateTime AdmittedUtc { get; } = DateTime.UtcNow;

    public long AdmittedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>Stopwatch timestamp when the first tile entered a batch; 0 before.</summary>
    public long FirstTakenAt { get; private set; }

    /// <summary>Stopwatch timestamp when the last tile's output was back and reported; 0 before.</summary>
    public long CompletedAt { get; private set; }

    /// <summary>Completes when every tile's output is back and reported; faults or cancels when the request is closed first.</summary>
    public Task Completion => completion.Task;

    /// <summary>The durations of the batches that carried this request's tiles, added up: more than the wall-clock span when they ran side by side.</summary>
    public TimeSpan BatchTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref batchTicks));

    /// <summary>Wall clock from admission until the first tile entered a batch.</summary>
    public TimeSpan QueueWait => FirstTakenAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(AdmittedAt, FirstTakenAt);

    /// <summary>Wall clock from the first tile entering a batch until the last tile's output was back.</summary>
    public TimeSpan InferenceSpan => FirstTakenAt == 0 || CompletedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(FirstTakenAt, CompletedAt);

    /// <summary>
    /// The providers its batches ran on, in the order first used (<c>cuda+cpu</c> when some fell back); null before
    /// any batch ran.
    /// </summary>
    public string? Provider
    {
        get
        {
            lock (gate)
            {
                return providers.Count == 0 ? null : string.Join('+', providers);
            }
        }
    }

    /// <summary>Tiles not yet taken into a batch.</summary>
    public int PendingTiles
    {
        get
        {
            lock (gate)
            {
                return TileCount - nextTile;
            }
        }
    }

    /// <summary>Takes the next pending tile; false when none is left or the request is closed.</summary>
    public bool TryTake(out int tile, out bool morePending)
    {
        lock (gate)
        {
            tile = nextTile;
            if (closed || nextTile == TileCount)
            {
                morePending = false;
                return false;
            }

            if (nextTile++ == 0)
            {
                FirstTakenAt = Stopwatch.GetTimestamp();
            }

            morePending = nextTile < TileCount;
            return true;
        }
    }

    /// <summary>Writes the tile's input, unless the request has been closed (its plan may be gone with it).</summary>
    public void WriteInput(int tile, Span<float> destination)
    {
        lock (gate)
        {
            if (!closed)
            {
                plan.WriteInput(tile, destination);
            }
        }
    }

    public void AcceptOutput(int tile, ReadOnlySpan<float> output)
    {
        lock (gate)
        {
            if (closed)
            {
                return;
            }

            plan.ReadOutput(tile, output);
            doneTiles++;
            progress?.Report(new TileProgress(doneTiles, TileCount));
            if (doneTiles == TileCount)
            {
                closed = true;
            }
        }
    }

    /// <summary>
    /// Marks <paramref name="tiles"/> of the request's tiles as reported with their batch; the request completes once every
    /// tile's output is back and reported.
    /// </summary>
    public void Settle(int tiles)
    {
        lock (gate)
        {
            settledTiles += tiles;
            if (settledTiles == TileCount && doneTiles == TileCount)
            {
                CompletedAt = Stopwatch.GetTimestamp();
                completion.TrySetResult();
            }
        }
    }

    /// <summary>Counts a batch that ran some of this request's tiles: its duration, and the provider it ran on.</summary>
    public void AddBatch(TimeSpan elapsed, string provider)
    {
        Interlocked.Add(ref batchTicks, elapsed.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        lock (gate)
        {
            if (!providers.Contains(provider))
            {
                providers.Add(provider);
            }
        }
    }

    /// <summary>Ends the request early; returns the work (native tiles) of its tiles still waiting in the queue.</summary>
    public int Close(Exception? failure)
    {
        lock (gate)
        {
            if (closed)
            {
                return 0;
            }

            closed = true;
            var dropped = (TileCount - nextTile) * TileWork;
            nextTile = TileCount;
            if (failure is null)
            {
                completion.TrySetCanceled(CancellationToken);
            }
            else
            {
                completion.TrySetException(failure);
            }

            return dropped;
        }
    }
}
