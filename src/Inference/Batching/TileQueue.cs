using System.Threading.Channels;

namespace LiteRestore.Inference;

/// <summary>
/// One model's bounded queue of tiles. Requests wait in a ring (a channel); a batcher takes one tile from the request at
/// the head and puts the request back at the tail while it has tiles left, so requests are served round-robin and a
/// huge image cannot starve small ones. A batch holds tiles of one shape. Admission (<see cref="QueueAdmission"/>) is
/// all-or-nothing and never waits. Depth, capacity and drain rate count work in native tiles (<see cref="TiledRequest.TileWork"/>).
/// </summary>
internal sealed class TileQueue
{
    private readonly string modelId;
    private readonly QueueLimits limits;
    private readonly DrainRate drain = new();
    private readonly QueueAdmission admission;
    private readonly Channel<TiledRequest> ring = Channel.CreateUnbounded<TiledRequest>();
    private readonly Lock gate = new();
    private readonly HashSet<TiledRequest> waiting = [];
    private int depth;
    private int running;
    private bool accepting = true;

    public TileQueue(string modelId, QueueLimits limits)
    {
        this.modelId = modelId;
        this.limits = limits;
        admission = new QueueAdmission(modelId, limits, drain);
    }

    /// <summary>Work admitted and not yet taken into a batch, in native tiles.</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>
    /// Admits all of <paramref name="request"/>'s tiles when the tiles that will run before its last one fit the
    /// capacity (its own counting for at most half of it) and the others' share of them
    /// takes at most <see cref="QueueLimits.MaxWait"/> at the measured <see cref="DrainRate"/>, and when the same still holds for
    /// every request already waiting; otherwise throws <see cref="QueueFullException"/> at once. Cancelling the
    /// request's token drops its pending tiles.
    /// </summary>
    /// <returns>The cancellation registration, to dispose once the request has ended.</returns>
    public CancellationTokenRegistration Enqueue(TiledRequest request)
    {
        lock (gate)
        {
            if (!accepting)
            {
                throw new ModelNotReadyException(modelId, "the service is shutting down.", limits.RetryAfter);
            }

            admission.Admit(request, waiting, running);

            depth += request.Work;
            waiting.Add(request);
            ring.Writer.TryWrite(request);
        }

        return request.CancellationToken.Register(static state =>
        {
            var (queue, request) = ((TileQueue, TiledRequest))state!;
            queue.Close(request, failure: null);
        }, (this, request));
    }

    /// <summary>Closes a request (cancelled when <paramref name="failure"/> is null) and releases its pending tiles.</summary>
    public void Close(TiledRequest request, Exception? failure)
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
        var open = true;
        while (batch.Count == 0)
        {
            if (!await ring.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            open = TakeAvailable(batch, maxTiles);
        }

        lock (gate)
        {
            drain.BatchStarted();
        }

        if (open && batch.Count < maxTiles && maxDelay > TimeSpan.Zero)
        {
            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            delay.CancelAfter(maxDelay);
            try
            {
                while (batch.Count < maxTiles && await ring.Reader.WaitToReadAsync(delay.Token).ConfigureAwait(false))
                {
                    if (!TakeAvailable(batch, maxTiles))
                    {
                        break;
                    }
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
    /// Counts a batch of <paramref name="work"/> native tiles as no longer running, and learns the drain rate from how
    /// long it ran (<paramref name="runTime"/>; null where it failed, which says nothing about the rate).
    /// </summary>
    public void Finished(int work, TimeSpan? runTime)
    {
        lock (gate)
        {
            running -= work;
            drain.BatchFinished(work, runTime);
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

    /// <summary>Takes tiles round-robin into <paramref name="batch"/>; false once the next request's tiles have another shape.</summary>
    private bool TakeAvailable(List<TileWork> batch, int maxTiles)
    {
        while (batch.Count < maxTiles && ring.Reader.TryPeek(out var next))
        {
            // One run takes one shape: a request of another shape is next, with the next batch. Another batcher may
            // take the head between the look and the read; a request of another shape read then goes to the tail.
            if (batch.Count > 0 && next.Shape != batch[0].Request.Shape)
            {
                return false;
            }

            if (!ring.Reader.TryRead(out var request))
            {
                return true;
            }

            if (batch.Count > 0 && request.Shape != batch[0].Request.Shape)
            {
                ring.Writer.TryWrite(request);
                return false;
            }

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

                depth -= request.TileWork;
                running += request.TileWork;
                CompleteIfDrained();
            }
        }

        return true;
    }

    private void CompleteIfDrained()
    {
        if (!accepting && depth == 0)
        {
            ring.Writer.TryComplete();
        }
    }
}
