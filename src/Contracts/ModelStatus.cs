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

/// <summary>
/// The sessions a model runs on: how many run batches side by side, the threads each may use inside one operator (0:
/// ONNX Runtime's default, one per physical core) and the most tiles one batch holds. Load-test numbers hold only for
/// the layout they were measured with.
/// </summary>
public sealed record EngineLayout(int Sessions, int IntraOpThreads, int MaxBatchTiles);

/// <summary>Memory measured around session creation and warm-up, and per batch size while running one batch.</summary>
public sealed record ModelMemory
{
    public required long ResidentBytes { get; init; }
    public required IReadOnlyDictionary<int, long> WorkingBytesByBatchSize { get; init; }
}

/// <summary>Statistics over a sliding window of recent batches and requests.</summary>
public sealed record ModelLiveStats
{
    public required long Requests { get; init; }
    public required long Failures { get; init; }
    public required int QueueDepth { get; init; }
    public required double MeanBatchSize { get; init; }
    public required LatencyPercentiles QueueWaitMs { get; init; }
    public required LatencyPercentiles InferenceMs { get; init; }
    public required LatencyPercentiles TotalMs { get; init; }
}

public sealed record LatencyPercentiles(double P50, double P95, double P99, int Samples);
