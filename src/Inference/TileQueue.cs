using System.Threading.Channels;

namespace LiteRestore.Inference;

/// <summary>A tile taken from the queue: which request, which of its tiles.</summary>
internal readonly record struct TileWork(TileRequest Request, int Tile);

/// <summary>
/// One model's bounded queue of tiles. Requests wait in a ring (a channel); a batcher takes one tile from the request at
/// the head and puts the request back at the tail while it has tiles left, so requests are served round-robin and a
/// huge image cannot starve small ones. Admission is all-or-nothing and never waits, and it counts the work that will
/// run before the request's last tile, which round-robin bounds: each request ahead runs at most as many tiles as the
/// new one has. So a small request is admitted beside a huge one, and a second huge one is not.
/// </summary>
internal sealed class TileQueue(string modelId, QueueLimits limits, TimeProvider clock)
{
    /// <summary>Weight of the latest interval in the mean time between tiles taken from a busy queue.</summary>
    private const double DrainSmoothing = 0.05;

    /// <summary>
    /// The most of the capacity a request's own tiles count for: the rest is the others' work ahead of it. Without a
    /// cap, a request larger than the queue could only be admitted into an empty one, which steady small traffic never
    /// leaves.
    /// </summary>
    private const double OwnShareOfCapacity = 0.5;

    private readonly Channel<TileRequest> ring = Channel.CreateUnbounded<TileRequest>();
    private readonly Lock gate = new();
    private readonly HashSet<TileRequest> waiting = [];
    private int depth;
    private bool accepting = true;
    private long? lastTakenAt;
    private double secondsPerTile;

    /// <summary>Tiles admitted and not yet taken into a batch.</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>
    /// Admits all of <paramref name="request"/>'s tiles when the tiles that will run before its last one fit the
    /// capacity (its own counting for at most <see cref="OwnShareOfCapacity"/> of it) and the others' share of them
    /// takes at most <see cref="QueueLimits.MaxWait"/> at the measured drain rate; otherwise throws
    /// <see cref="QueueFullException"/> at once. Cancelling the request's token drops its pending tiles.
    /// </summary>
    /// <returns>The cancellation registration, to dispose once the request has ended.</returns>
    public CancellationTokenRegistration Enqueue(TileRequest request)
    {
        lock (gate)
        {
            if (!accepting)
            {
                throw new ModelNotReadyException(modelId, "the service is shutting down.", limits.RetryAfter);
            }

            if (waiting.Count > 0)
            {
                Admit(request.TileCount);
            }

            depth += request.TileCount;
            waiting.Add(request);
            ring.Writer.TryWrite(request);
        }

        return request.CancellationToken.Register(static state =>
        {
            var (queue, request) = ((TileQueue, TileRequest))state!;
            queue.Close(request, failure: null);
        }, (this, request));
    }

    /// <summary>Closes a request (cancelled when <paramref name="failure"/> is null) and releases its pending tiles.</summary>
    public void Close(TileRequest request, Exception? failure)
    {
        var dropped = request.Close(failure);
        lock (gate)
        {
            waiting.Remove(request);
            depth -= dropped;
            CompleteIfDrained();
        }
    }

    /// <summary>
    /// Waits for at least one tile, then keeps taking tiles round-robin until <paramref name="batch"/> holds
    /// <paramref name="maxTiles"/> or <paramref name="maxDelay"/> has passed. False once the queue is completed and empty.
    /// </summary>
    public async ValueTask<bool> TakeBatchAsync(List<TileWork> batch, int maxTiles, TimeSpan maxDelay, CancellationToken cancellationToken)
    {
        batch.Clear();
        while (batch.Count == 0)
        {
            if (!await ring.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            TakeAvailable(batch, maxTiles);
        }

        if (batch.Count < maxTiles && maxDelay > TimeSpan.Zero)
        {
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            delay.CancelAfter(maxDelay);
            try
            {
                while (batch.Count < maxTiles && await ring.Reader.WaitToReadAsync(delay.Token).ConfigureAwait(false))
                {
                    TakeAvailable(batch, maxTiles);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The delay is over: run what we have.
            }
        }

        return true;
    }

    /// <summary>Stops admitting requests; the batchers finish what was admitted and then see the queue end.</summary>
    public void Complete()
    {
        lock (gate)
        {
            accepting = false;
            CompleteIfDrained();
        }
    }

    /// <summary>
    /// Stops admitting requests and closes every request still waiting with <paramref name="failure"/>, so each is
    /// answered at once; tiles already in a batch finish, and the batchers then see the queue end.
    /// </summary>
    public void Abandon(Exception failure)
    {
        Complete();
        while (ring.Reader.TryRead(out var request))
        {
            Close(request, failure);
        }
    }

    private void TakeAvailable(List<TileWork> batch, int maxTiles)
    {
        while (batch.Count < maxTiles && ring.Reader.TryRead(out var request))
        {
            if (!request.TryTake(out var tile, out var morePending))
            {
                continue;
            }

            batch.Add(new TileWork(request, tile));
            if (morePending)
            {
                ring.Writer.TryWrite(request);
            }

            lock (gate)
            {
                if (!morePending)
                {
                    waiting.Remove(request);
                }

                MeasureDrain();
                depth--;
                CompleteIfDrained();
            }
        }
    }

    /// <summary>Throws <see cref="QueueFullException"/> unless a request of <paramref name="tiles"/> fits beside those waiting.</summary>
    private void Admit(int tiles)
    {
        var ahead = waiting.Sum(other => Math.Min(other.PendingTiles, tiles));
        var ownShare = Math.Min(tiles, Math.Max(1, (int)(limits.CapacityTiles * OwnShareOfCapacity)));
        var excessTiles = ownShare + ahead - limits.CapacityTiles;
        var wait = TimeSpan.FromSeconds(ahead * secondsPerTile);
        if (excessTiles > 0)
        {
            throw new QueueFullException(modelId,
                $"{ahead} tiles of other requests would run before this one's last, past the queue's capacity of {limits.CapacityTiles}.",
                RetryAfter(TimeSpan.FromSeconds(excessTiles * secondsPerTile)));
        }

        if (wait > limits.MaxWait)
        {
            throw new QueueFullException(modelId,
                $"other requests would delay this one by about {wait.TotalSeconds:0.#} s, past the longest queue wait of {limits.MaxWait.TotalSeconds:0.#} s.",
                RetryAfter(wait - limits.MaxWait));
        }
    }

    /// <summary>How long the excess takes to drain at the measured rate; the configured wait where that is longer.</summary>
    private TimeSpan RetryAfter(TimeSpan measured) => measured > limits.RetryAfter ? measured : limits.RetryAfter;

    /// <summary>Updates the mean time between tiles taken while the queue held more (idle gaps are not drain time).</summary>
    private void MeasureDrain()
    {
        var now = clock.GetTimestamp();
        if (lastTakenAt is { } last)
        {
            var interval = clock.GetElapsedTime(last, now).TotalSeconds;
            secondsPerTile = secondsPerTile == 0 ? interval : secondsPerTile + (DrainSmoothing * (interval - secondsPerTile));
        }

        lastTakenAt = depth > 1 ? now : null;
    }

    private void CompleteIfDrained()
    {
        if (!accepting && depth == 0)
        {
            ring.Writer.TryComplete();
        }
    }
}
