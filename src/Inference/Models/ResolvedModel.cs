namespace LiteRestore.Inference;

/// <summary>The model and precision that serve a <see cref="ModelRequest"/>, and its scale (1 while its card is not known).</summary>
public readonly record struct ResolvedModel(ModelKey Key, int Scale);
