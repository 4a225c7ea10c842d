using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>The model's tile queue is full; the caller should retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException(string modelId, string reason, TimeSpan retryAfter)
    : RestorationException(ErrorCodes.Overloaded, $"The queue of model '{modelId}' is full: {reason}")
{
    public string ModelId { get; } = modelId;

    public override TimeSpan? RetryAfter { get; } = retryAfter;
}
