using LiteRestore.Contracts;

namespace LiteRestore.Inference.Admission;

/// <summary>The images already being restored hold so much of the memory budget that this one does not fit now.</summary>
public sealed class MemoryBudgetFullException(long needed, long free, long capacity, TimeSpan retryAfter)
    : RestorationException(ErrorCodes.Overloaded,
        $"The service is restoring other images: this one needs about {Megabytes(needed)} MB of working memory and " +
        $"{Megabytes(free)} MB of the {Megabytes(capacity)} MB budget are free.")
{
    public override TimeSpan? RetryAfter { get; } = retryAfter;

    private static long Megabytes(long bytes) => Math.Max(0, bytes) / (1024 * 1024);
}
