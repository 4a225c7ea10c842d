using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Inference ran past its time limit and was stopped.</summary>
public sealed class InferenceTimeoutException(string modelId, TimeSpan limit)
    : RestorationException(ErrorCodes.Timeout, $"Model '{modelId}' did not finish within {limit.TotalSeconds:0.###} s.")
{
    public string ModelId { get; } = modelId;
}
