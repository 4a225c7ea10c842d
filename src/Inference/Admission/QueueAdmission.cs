namespace LiteRestore.Inference;

/// <summary>
/// Whether a model's queue admits a request. It counts, for every request, the work of others that runs before its
/// last tile, which round-robin bounds: each other request runs at most as many tiles as it has. Work is counted in
/// native tiles (<see cref="TiledRequest.TileWork"/>), which the capacity and the drain rate are measured in. A new request is
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
        // Round-robin interleaves the two: each runs as many of its tiles as the other has pending, at most, before the
        // other's last. Each waiting request's pending tiles are read once: every one is a look under its own lock.
        var turns = waiting.Select(other => (Other: other, Tiles: Math.Min(other.PendingTiles, request.TileCount))).ToList();
        var ahead = turns.Sum(turn => turn.Tiles * turn.Other.TileWork);
        // the tiles the sessions run now finish before this one's first starts
        Keep(OwnShare(request.Work), ahead + running, request.Background, "this one");
        foreach (var (other, tiles) in turns.Where(turn => !turn.Other.Background))
        {
            Keep(OwnShare(other.Work), other.DelayTiles + (tiles * request.TileWork), background: false, "one already waiting");
        }

        request.DelayTiles = ahead;
        foreach (var (other, tiles) in turns)
        {
            other.DelayTiles += tiles * request.TileWork;
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
