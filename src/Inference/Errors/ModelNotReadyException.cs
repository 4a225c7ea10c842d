using LiteRestore.Contracts;

namespace LiteRestore.Inference;

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
