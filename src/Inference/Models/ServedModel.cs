using System.Diagnostics;
using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Logging;

namespace LiteRestore.Inference;

/// <summary>
/// One model's life: card, sessions, warm-up and memory measurement, tile queue, batchers and statistics. Loading is
/// sequential across models so that the process's resident-memory growth can be attributed to the model being loaded.
/// </summary>
internal sealed class ServedModel : IDisposable
{

    private readonly InferenceOptions options;
    private readonly TileRunMemory runMemory;
    private readonly RestorationMetrics metrics;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly Batchers batchers = new();
    private ModelSessions? sessions;
    private BatchRunner? runner;
    private volatile ModelAvailability availability;
    private string? reason;

    public ServedModel(ModelDescriptor descriptor, InferenceOptions options, TileRunMemory runMemory, RestorationMetrics metrics, ILoggerFactory loggers)
    {
        Descriptor = descriptor;
        this.options = options;
        this.runMemory = runMemory;
        this.metrics = metrics;
        this.loggers = loggers;
        logger = loggers.CreateLogger<ServedModel>();
        Stats = new LiveStats(options.StatsWindow);
        Queue = new TileQueue(descriptor.Key.ToString(), QueueLimits.From(options));
        availability = descriptor.Card is null ? ModelAvailability.Unavailable : ModelAvailability.Loading;
        reason = descriptor.Error;
        Tags = descriptor.Card is null ? ModelTags.Unknown(descriptor.Key) : ModelTags.For(descriptor.Card, descriptor.Precision);
        if (descriptor.Card is not null)
        {
            metrics.Register(Key, this);
        }
    }

    public ModelDescriptor Descriptor { get; }

    public string Id => Descriptor.Id;

    public ModelPrecision Precision => Descriptor.Precision;

    public ModelKey Key => Descriptor.Key;

    public ModelCard? Card => Descriptor.Card;

    public ModelTags Tags { get; }

    public TileQueue Queue { get; }

    public LiveStats Stats { get; }

    public ModelAvailability Availability => availability;

    public string? Reason => reason;

    public string? Provider => runner?.Provider;

    public ModelMemory? Memory { get; private set; }

    /// <summary>The tiles requests run in; set once the model is ready.</summary>
    public TileSizing? Sizing { get; private set; }

    public ModelStatus Status() => new()
    {
        Id = Id,
        Precision = Precision,
        Availability = availability,
        Reason = reason,
        Provider = Provider,
        Engine = sessions?.Layout,
        Card = Card,
        Memory = Memory,
        Stats = Card is null ? null : Stats.Snapshot(Queue.Depth),
    };

    /// <summary>Creates the sessions, warms them up, measures memory and starts the batchers; failures make the model unavailable.</summary>
    public void Load(SessionFactory factory, CancellationToken cancellationToken)
    {
        if (Card is null)
        {
            Log.ModelUnavailable(logger, Key, reason ?? string.Empty);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var residentBefore = Environment.WorkingSet;
        try
        {
            sessions = factory.Create(Descriptor);
            reason = sessions.FallbackReason is null ? null : Descriptor.Redact(sessions.FallbackReason);
            if (sessions.FallbackReason is not null && sessions.FallbackReason != factory.ProcessWideCpuReason)
            {
                // a reason that holds for the whole process is logged once, by the engine
                Log.ProviderFallback(logger, Key, sessions.FallbackReason);
            }

            var working = options.WarmUp ? SessionWarmUp.Run(sessions, options.InferenceTimeout, cancellationToken) : new Dictionary<int, long>();
            Memory = new ModelMemory
            {
                ResidentBytes = Math.Max(0, Environment.WorkingSet - residentBefore),
                WorkingBytesByBatchSize = working,
            };
            var costs = TileCostFile.Read(Descriptor.Folder);
            var curve = costs?.For(Precision);
            Sizing = TileSizing.For(sessions, Card, options.CpuTileMegabytes, working.TryGetValue(1, out var native) ? native : null,
                curve is null ? null : TileCost.From(curve));
            if (Sizing.MaxTilePixels is { } largest)
            {
                Log.TilesSizedPerRequest(logger, Key, largest, costs!.Measured);
            }
            else if (curve is null && TileSizing.CanSize(sessions, Card))
            {
                Log.NativeTilesWithoutCosts(logger, Key, TileCostTable.FileName);
            }

            runner = new BatchRunner(Key, sessions, Queue, options, loggers, RecordBatch, Sizing, runMemory);
            batchers.Start(sessions.Primary.Sessions.Count, Queue, runner, sessions.MaxBatch, options.MaxQueueDelay);

            availability = ModelAvailability.Ready;
            var elapsed = Stopwatch.GetElapsedTime(started);
            Log.ModelReady(logger, Key, sessions.Primary.Provider, sessions.Primary.Sessions.Count, sessions.MaxBatch, Memory.ResidentBytes, elapsed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever one model's files or sessions throw, the other models must still load and serve.
            MarkUnavailable(e is OperationCanceledException ? $"warm-up did not finish within {options.InferenceTimeout}." : $"{Descriptor.ModelPath}: {e.Message}");
        }
    }

    /// <summary>Releases what loading had built and says why the model does not serve, with no server path in the answer.</summary>
    private void MarkUnavailable(string why)
    {
        sessions?.Dispose();
        sessions = null;
        availability = ModelAvailability.Unavailable;
        Log.ModelUnavailable(logger, Key, why);
        reason = Descriptor.Redact(why);
    }

    /// <summary>Stops admitting requests, lets the batchers finish every admitted tile, then releases the sessions.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Queue.Complete();
        await batchers.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lets the batchers finish what was admitted (each batch is bounded by the inference timeout), then releases the sessions.</summary>
    public void Dispose()
    {
        Queue.Complete();
        batchers.Finished.GetAwaiter().GetResult();
        sessions?.Dispose();
    }

    private void RecordBatch(BatchReport batch)
    {
        Stats.RecordBatch(batch.Tiles, batch.Elapsed);
        metrics.RecordBatch(Tags, batch.Provider, batch.Outcome, batch.Elapsed, batch.Tiles);
    }
}
