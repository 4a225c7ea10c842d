using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>The caller asked for an enlargement factor that the model serving its task does not have.</summary>
public sealed class ScaleNotOfferedException(string message) : RestorationException(ErrorCodes.RequestInvalid, message);
