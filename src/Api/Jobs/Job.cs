using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// One asynchronous restoration: what it runs on, how far it has come (it hears the engine's tile progress), and how
/// it ended. Its cancellation source stops it when it is deleted, and by itself when it expires.
/// </summary>
internal sealed class Job(string id, RestorationTarget target, DateTimeOffset created, DateTimeOffset expires, TimeProvider clock)
    : IProgress<TileProgress>, IDisposable
{
    private readonly Lock gate = new();
    private TileProgress progress;
    private long? firstTileAt;
    private JobState state = JobState.Queued;
    private DateTimeOffset? finished;
    private string? errorCode;
    private string? errorDetail;

    public string Id { get; } = id;

    public RestorationTarget Target { get; } = target;

    public DateTimeOffset Expires { get; } = expires;

    public CancellationTokenSource Cancellation { get; } = new(expires - created, clock);

    /// <summary>Bytes of the job's files on disk; the store changes it under its own lock.</summary>
    public long StoredBytes { get; set; }

    /// <summary>The result file and its length, once the job has succeeded.</summary>
    public (string Path, long Bytes)? Result { get; private set; }

    public JobState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    public (string Code, string Detail)? Error
    {
        get
        {
            lock (gate)
            {
                return errorCode is null ? null : (errorCode, errorDetail!);
            }
        }
    }

    public void Report(TileProgress value)
    {
        lock (gate)
        {
            progress = value;
            if (value.Done > 0 && state == JobState.Queued)
            {
                state = JobState.Running;
                firstTileAt = clock.GetTimestamp();
            }
        }
    }

    public void Succeed(string path, long bytes)
    {
        lock (gate)
        {
            Result = (path, bytes);
            state = JobState.Succeeded;
            finished = clock.GetUtcNow();
        }
    }

    public void Fail(string code, string detail)
    {
        lock (gate)
        {
            (errorCode, errorDetail) = (code, detail);
            state = JobState.Failed;
            finished = clock.GetUtcNow();
        }
    }

    /// <summary>
    /// Seconds until the last tile at the rate the tiles after the first have run; null until two have. The first
    /// tile's wait is queueing, not work.
    /// </summary>
    public double? EtaSeconds
    {
        get
        {
            lock (gate)
            {
                if (state != JobState.Running || firstTileAt is not { } first || progress.Done < 2)
                {
                    return null;
                }

                var perTile = clock.GetElapsedTime(first).TotalSeconds / (progress.Done - 1);
                return perTile * (progress.Total - progress.Done);
            }
        }
    }

    public JobStatus Status(string? resultUrl)
    {
        var eta = EtaSeconds;
        lock (gate)
        {
            return new JobStatus
            {
                Id = Id,
                Task = Target.Task,
                ModelId = Target.Model.Id,
                Precision = Target.Model.Precision,
                State = state,
                TilesDone = progress.Done,
                TilesTotal = progress.Total,
                EtaSeconds = eta,
                Created = created,
                Finished = finished,
                Expires = Expires,
                ResultUrl = state == JobState.Succeeded ? resultUrl : null,
                ErrorCode = errorCode,
                ErrorDetail = errorDetail,
            };
        }
    }

    /// <summary>Tiles done and tiles in all, for the metrics of unfinished jobs.</summary>
    public TileProgress Progress
    {
        get
        {
            lock (gate)
            {
                return progress;
            }
        }
    }

    public void Dispose() => Cancellation.Dispose();
}
