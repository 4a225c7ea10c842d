using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>No model with this id is known to the engine.</summary>
public sealed class ModelNotFoundException(string modelId)
    : RestorationException(ErrorCodes.ModelNotFound, $"There is no model '{modelId}'.")
{
    public string ModelId { get; } = modelId;
}
