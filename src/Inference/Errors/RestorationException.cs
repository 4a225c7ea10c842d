using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Base of the engine's expected failures; <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public abstract class RestorationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>How long the caller should wait before trying again, where trying again can succeed.</summary>
    public virtual TimeSpan? RetryAfter => null;
}
