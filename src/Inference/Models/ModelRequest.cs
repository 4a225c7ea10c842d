using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// What a caller asks to be served by: a task in a variant and a precision and, where the caller names one, the
/// enlargement factor it expects.
/// </summary>
public readonly record struct ModelRequest(RestorationTask Task, ModelVariant Variant, ModelPrecision Precision, int? Scale = null);
