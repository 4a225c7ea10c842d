namespace LiteRestore.Contracts;

/// <summary>What <c>GET /v1/jobs/{id}</c> answers: a job's state, its progress in tiles, and where its result is.</summary>
public sealed record JobStatus
{
    public required string Id { get; init; }
    public required RestorationTask Task { get; init; }
    public required string ModelId { get; init; }
    public ModelPrecision Precision { get; init; }
    public required JobState State { get; init; }

    /// <summary>Tiles whose output is back, of <see cref="TilesTotal"/> (0 until the work is planned).</summary>
    public required int TilesDone { get; init; }
    public required int TilesTotal { get; init; }

    /// <summary>Seconds until the job should finish, at the rate its tiles have run so far; absent before one has.</summary>
    public double? EtaSeconds { get; init; }

    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? Finished { get; init; }

    /// <summary>When the job and its result are deleted.</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Where the restored image is, once the job has succeeded.</summary>
    public string? ResultUrl { get; init; }

    /// <summary>The <see cref="ErrorCodes"/> value of a failed job, and what went wrong.</summary>
    public string? ErrorCode { get; init; }
    public string? ErrorDetail { get; init; }
}
