namespace LiteRestore.Inference;

/// <summary>
/// Whether a model's queue admits a request. It counts, for every request, the tiles of others that run before its
/// last one, which round-robin bounds: each other request runs at most as many tiles as it has. A new request is
/// admitted only when that keeps within the capacity and the longest wait, both for itself and for every request
/// already waiting that was promised them: a request admitted later interleaves with the earlier ones and delays them
/// too. Background requests (jobs) are promised no wait, so they never turn others away. Not thread-safe: its queue
/// calls it under its own lock.
/// </summary>
internal sealed class QueueAdmission(string modelId, QueueLimits limits, DrainRate drain)
{
    /// <summary>
    /// The most of the capacity a request's own tiles count for: the rest is the others' work ahead of it. Without a
    /// cap, a request larger than the queue could only be admitted into an empty one, which steady small traffic never
    /// leaves.
    /// </summary>
    private const double OwnShareOfCapacity = 0.5;

    /// <summary>
    /// Throws <see cref="QueueFullException"/> unless <paramref name="request"/> fits beside those
    /// <paramref name="waiting"/> (while <paramref name="running"/> tiles run) without breaking a promise; on admission
    /// counts the delay it adds to each of them.
    /// </summary>
    public void Admit(TiledRequest request, IReadOnlyCollection<TiledRequest> waiting, int running)
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
                RetryAfter(TimeSpan.FromSeconds(excessTiles * drain.SecondsPerTile)));
        }

        var wait = TimeSpan.FromSeconds(delayTiles * drain.SecondsPerTile);
        if (!background && wait > limits.MaxWait)
        {
            throw new QueueFullException(modelId,
                $"other requests would delay {whose} by about {wait.TotalSeconds:0.#} s, past the longest queue wait of {limits.MaxWait.TotalSeconds:0.#} s.",
                RetryAfter(wait - limits.MaxWait));
        }
    }

    /// <summary>How much of the capacity a request of <paramref name="tiles"/> counts for itself (<see cref="OwnShareOfCapacity"/>).</summary>
    private int OwnShare(int tiles) => Math.Min(tiles, Math.Max(1, (int)(limits.CapacityTiles * OwnShareOfCapacity)));

    /// <summary>How long the excess takes to drain at the measured rate; the configured wait where that is longer.</summary>
    private TimeSpan RetryAfter(TimeSpan measured) => measured > limits.RetryAfter ? measured : limits.RetryAfter;
}
