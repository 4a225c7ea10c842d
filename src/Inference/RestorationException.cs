using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Base of the engine's expected failures; <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public abstract class RestorationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>How long the caller should wait before trying again, where trying again can succeed.</summary>
    public virtual TimeSpan? RetryAfter => null;
}

/// <summary>The model's tile queue is full; the caller should retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException(string modelId, string reason, TimeSpan retryAfter)
    : RestorationException(ErrorCodes.Overloaded, $"The queue of model '{modelId}' is full: {reason}")
{
    public string ModelId { get; } = modelId;

    public override TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The model is still loading or could not be loaded, or the service is shutting down; <see cref="RetryAfter"/> is set
/// where trying again (elsewhere, or once loaded) can succeed.
/// </summary>
public sealed class ModelNotReadyException(string modelId, string reason, TimeSpan? retryAfter = null)
    : RestorationException(ErrorCodes.ModelNotReady, $"Model '{modelId}' is not ready: {reason}")
{
    public string ModelId { get; } = modelId;

    public override TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Inference ran past its time limit and was stopped.</summary>
public sealed class InferenceTimeoutException(string modelId, TimeSpan limit)
    : RestorationException(ErrorCodes.Timeout, $"Model '{modelId}' did not finish within {limit.TotalSeconds:0.###} s.")
{
    public string ModelId { get; } = modelId;
}

/// <summary>The upload cannot be processed: <see cref="RestorationException.Code"/> says why (invalid, unsupported, too large, mask mismatch).</summary>
public sealed class ImageRejectedException(string code, string message) : RestorationException(code, message);
