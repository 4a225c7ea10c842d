namespace LiteRestore.Contracts;

/// <summary>
/// What <c>GET /v1/models</c> answers for one model in one precision: its card (absent when the card itself is broken)
/// and live state. Each precision a card offers is served by sessions, a queue and statistics of its own.
/// </summary>
public sealed record ModelStatus
{
    public required string Id { get; init; }
    public ModelPrecision Precision { get; init; }
    public required ModelAvailability Availability { get; init; }

    /// <summary>Why the model is unavailable, or why it runs on a fallback provider.</summary>
    public string? Reason { get; init; }

    /// <summary>Execution provider the sessions run on: "cuda" or "cpu".</summary>
    public string? Provider { get; init; }

    /// <summary>How the model's sessions are laid out on its provider; absent until its sessions exist.</summary>
    public EngineLayout? Engine { get; init; }

    public ModelCard? Card { get; init; }
    public ModelMemory? Memory { get; init; }
    public ModelLiveStats? Stats { get; init; }
}
