using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>No model with this id is known to the engine, or not in the precision asked for.</summary>
public sealed class ModelNotFoundException(string modelId, string message)
    : RestorationException(ErrorCodes.ModelNotFound, message)
{
    public ModelNotFoundException(string modelId)
        : this(modelId, $"There is no model '{modelId}'.")
    {
    }

    public string ModelId { get; } = modelId;
}
