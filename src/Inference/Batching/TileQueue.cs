using System.Threading.Channels;

namespace LiteRestore.Inference;

/// <summary>
/// One model's bounded queue of tiles. Requests wait in a ring (a channel); a batcher takes one tile from the request at
/// the head and puts the request back at the tail while it has tiles left, so requests are served round-robin and a
/// huge image cannot starve small ones. Admission is all-or-nothing and never waits. It counts, for every request, the
/// tiles of others that run before its last one, which round-robin bounds: each other request runs at most as many
/// tiles as it has. A new request is admitted only when that keeps within the capacity and the longest wait, both for
/// itself and for every request already waiting that was promised them: a request admitted later interleaves with the
/// earlier ones and delays them too. Background requests (jobs) are promised no wait, so they never turn others away.
/// </summary>
internal sealed class TileQueue(string modelId, QueueLimits limits)
{
    /// <summary>Weight of the latest batch in the mean time one batcher spends on a tile.</summary>
    private const double TileTimeSmoothing = 0.2;

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
    private int running;
    private int batchesRunning;
    private int peakBatchesRunning;
    private bool accepting = true;
    private double secondsPerTileOnOneBatcher;

    /// <summary>Tiles admitted and not yet taken into a batch.</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>
    /// Admits all of <paramref name="request"/>'s tiles when the tiles that will run before its last one fit the
    /// capacity (its own counting for at most <see cref="OwnShareOfCapacity"/> of it) and the others' share of them
    /// takes at most <see cref="QueueLimits.MaxWait"/> at the measured drain rate, and when the same still holds for
    /// every request already waiting; otherwise throws <see cref="QueueFullException"/> at once. Cancelling the
    /// request's token drops its pending tiles.
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

            Admit(request);

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

        lock (gate)
        {
            batchesRunning++;
            peakBatchesRunning = Math.Max(peakBatchesRunning, batchesRunning);
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

    /// <summary>
    /// Counts a batch of <paramref name="tiles"/> as no longer running, and learns the drain rate from how long it ran
    /// (<paramref name="runTime"/>; null where it failed, which says nothing about the rate).
    /// </summary>
    public void Finished(int tiles, TimeSpan? runTime)
    {
        lock (gate)
        {
            running -= tiles;
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

                depth--;
                running++;
                CompleteIfDrained();
            }
        }
    }

    /// <summary>
    /// Throws <see cref="QueueFullException"/> unless <paramref name="request"/> fits beside those waiting without
    /// breaking a promise; on admission counts the delay it adds to each of them.
    /// </summary>
    private void Admit(TileRequest request)
    {
        var tiles = request.TileCount;
        // each waiting request's pending tiles, read once: every one is a look under that request's own lock
        var delays = waiting.Select(other => (Other: other, Added: Math.Min(other.PendingTiles, tiles))).ToList();
        var ahead = delays.Sum(delay => delay.Added);
        // the tiles the sessions run now finish before this one's first starts
        Keep(OwnShare(tiles), ahead + running, request.Background, "this one");
        foreach (var (other, added) in delays.Where(delay => !delay.Other.Background))
        {
            Keep(OwnShare(other.TileCount), other.DelayTiles + added, background: false, "one already waiting");
        }

        request.DelayTiles = ahead;
        foreach (var (other, added) in delays)
        {
            other.DelayTiles += added;
        }
    }

    /// <summary>
    /// Throws unless a request whose own tiles count <paramref name="ownShare"/> and whom others delay by
    /// <paramref name="delayTiles"/> keeps within the capacity and, unless it runs in the background, the longest wait.
    /// </summary>
    private void Keep(int ownShare, int delayTiles, bool background, string whose)
    {
        var excessTiles = ownShare + delayTiles - limits.CapacityTiles;
        if (excessTiles > 0)
        {
            throw new QueueFullException(modelId,
                $"{delayTiles} tiles of other requests would run before the last of {whose}, past the queue's capacity of {limits.CapacityTiles}.",
                RetryAfter(TimeSpan.FromSeconds(excessTiles * SecondsPerTile)));
        }

        var wait = TimeSpan.FromSeconds(delayTiles * SecondsPerTile);
        if (!background && wait > limits.MaxWait)
        {
            throw new QueueFullException(modelId,
                $"other requests would delay {whose} by about {wait.TotalSeconds:0.#} s, past the longest queue wait of {limits.MaxWait.TotalSeconds:0.#} s.",
                RetryAfter(wait - limits.MaxWait));
        }
    }

    /// <summary>How much of the capacity a request of <paramref name="tiles"/> counts for itself (<see cref="OwnShareOfCapacity"/>).</summary>
    private int OwnShare(int tiles) => Math.Min(tiles, Math.Max(1, (int)(limits.CapacityTiles * OwnShareOfCapacity)));

    /// <summary>
    /// Seconds the queue takes to drain one tile: the mean time a batcher spends on one, shared among the batchers
    /// (the most that have run side by side). Batch times, unlike the gaps between tiles taken, hold from the first
    /// batch on and track the slowdown when the sessions share the cores under load.
    /// </summary>
    private double SecondsPerTile => peakBatchesRunning == 0 ? 0 : secondsPerTileOnOneBatcher / peakBatchesRunning;

    /// <summary>How long the excess takes to drain at the measured rate; the configured wait where that is longer.</summary>
    private TimeSpan RetryAfter(TimeSpan measured) => measured > limits.RetryAfter ? measured : limits.RetryAfter;

    private void CompleteIfDrained()
    {
        if (!accepting && depth == 0)
        {
            ring.Writer.TryComplete();
        }
    }
}
