namespace LiteRestore.Inference;

/// <summary>The upload cannot be processed: <see cref="RestorationException.Code"/> says why (invalid, unsupported, too large, mask mismatch).</summary>
public sealed class ImageRejectedException(string code, string message) : RestorationException(code, message);
