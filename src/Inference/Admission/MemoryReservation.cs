using System.Diagnostics;

namespace LiteRestore.Inference.Admission;

/// <summary>Bytes held in the <see cref="WorkingMemoryBudget"/> by one request; disposing gives them back, once.</summary>
public sealed class MemoryReservation : IDisposable
{
    private readonly WorkingMemoryBudget budget;
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private int released;

    internal MemoryReservation(WorkingMemoryBudget budget, long bytes)
    {
        this.budget = budget;
        Bytes = bytes;
    }

    public long Bytes { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            budget.Release(Bytes, Stopwatch.GetElapsedTime(startedAt));
        }
    }
}
