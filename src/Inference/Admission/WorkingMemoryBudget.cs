using Microsoft.Extensions.Options;

namespace LiteRestore.Inference.Admission;

/// <summary>
/// The process-wide budget of decoded and working image memory. Each upload reserves what it will take
/// (<see cref="WorkingMemoryEstimate"/>) after its header is read and before a pixel is decoded, and gives it back once
/// its answer is written. One that does not fit is turned away at once with <see cref="MemoryBudgetFullException"/>
/// rather than taking the process past its memory limit; one larger than the whole budget is admitted while no other
/// holds any, so that every image within the size limits can be served.
/// </summary>
public sealed class WorkingMemoryBudget
{
    /// <summary>Share of the memory the runtime may use (the container's limit, or the heap hard limit) by default.</summary>
    public const double DefaultShareOfAvailableMemory = 0.6;

    /// <summary>Weight of the latest release in the mean holding time that <c>Retry-After</c> is computed from.</summary>
    private const double HoldTimeSmoothing = 0.2;

    private readonly Lock gate = new();
    private long reserved;
    private readonly double guessedHoldSeconds;
    private int holders;
    private long changes;
    private double? meanHoldSeconds;

    /// <summary>
    /// The capacity is the configured one, or by default <see cref="DefaultShareOfAvailableMemory"/> of the available
    /// memory less what sized tiles' runs may take (<paramref name="runMemory"/>), but at least half of that share.
    /// </summary>
    public WorkingMemoryBudget(IOptions<InferenceOptions> options, TileRunMemory runMemory)
    {
        var megabytes = options.Value.MemoryBudgetMegabytes;
        var share = (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * DefaultShareOfAvailableMemory);
        Capacity = megabytes is { } configured
            ? configured * 1024L * 1024
            : Math.Max(share - runMemory.Capacity, share / 2);
        guessedHoldSeconds = options.Value.QueueFullRetryAfter.TotalSeconds;
    }

    public long Capacity { get; }

    /// <summary>Bytes held by requests now.</summary>
    public long Reserved
    {
        get
        {
            lock (gate)
            {
                return reserved;
            }
        }
    }

    /// <summary>How many requests hold memory now, and how many reservations and releases there have been so far.</summary>
    public (int Holders, long Changes) Activity
    {
        get
        {
            lock (gate)
            {
                return (holders, changes);
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> or throws <see cref="MemoryBudgetFullException"/> at once.</summary>
    public MemoryReservation Reserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (gate)
        {
            if (holders > 0 && reserved + bytes > Capacity)
            {
                // The holders leave about one mean holding time from now; half of it, on average, has passed.
                var hold = meanHoldSeconds ?? guessedHoldSeconds;
                throw new MemoryBudgetFullException(bytes, Capacity - reserved, Capacity, TimeSpan.FromSeconds(hold / 2));
            }

            reserved += bytes;
            holders++;
            changes++;
        }

        return new MemoryReservation(this, bytes);
    }

    internal void Release(long bytes, TimeSpan held)
    {
        lock (gate)
        {
            reserved -= bytes;
            holders--;
            changes++;
            meanHoldSeconds = meanHoldSeconds is { } mean ? mean + (HoldTimeSmoothing * (held.TotalSeconds - mean)) : held.TotalSeconds;
        }
    }
}
