using System.Diagnostics;
using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using LiteRestore.Inference.Inpainting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace LiteRestore.Inference;

/// <summary>
/// The engine's facade: discovers the models, loads them one after another (in the background, see
/// <see cref="ModelLoaderService"/>), and turns a <see cref="RestorationJob"/> into tiles on its model's queue.
/// </summary>
internal sealed class RestorationEngine : IRestorationEngine, IDisposable
{
    private readonly InferenceOptions options;
    private readonly ImageLimitsOptions limits;
    private readonly RestorationMetrics metrics;
    private readonly ILogger<RestorationEngine> logger;
    private readonly IReadOnlyDictionary<ModelKey, ServedModel> models;
    private volatile bool ready;

    public RestorationEngine(
        IOptions<InferenceOptions> options, IOptions<ImageLimitsOptions> limits, TileRunMemory runMemory, RestorationMetrics metrics, ILoggerFactory loggers)
    {
        this.options = options.Value;
        this.limits = limits.Value;
        this.metrics = metrics;
        logger = loggers.CreateLogger<RestorationEngine>();
        var root = this.options.ResolveModelsRoot();
        if (!Directory.Exists(root))
        {
            Log.NoModelsRoot(logger, root);
        }

        models = ModelRepository.Discover(root, this.options.Models, this.options.Precisions)
            .Select(d => new ServedModel(d, this.options, runMemory, metrics, loggers))
            .ToDictionary(m => m.Key);
    }

    /// <summary>
    /// True once loading has finished and every model serves (at least one, where
    /// <see cref="InferenceOptions.RequireEveryModelForReadiness"/> is off).
    /// </summary>
    public bool IsReady => ready;

    public IReadOnlyList<ModelStatus> GetModels() => models.Values.Select(m => m.Status()).ToList();

    public ModelStatus? GetModel(ModelKey model) => models.TryGetValue(model, out var served) ? served.Status() : null;

    public ResolvedModel Resolve(ModelRequest request) => ModelResolver.Resolve(models, request);

    /// <summary>How a model's requests are tiled, once it is ready (for the benchmarks); null before or where it is not served.</summary>
    internal TileSizing? TileSizingOf(ModelKey model) => models.TryGetValue(model, out var served) ? served.Sizing : null;

    /// <summary>Loads every model in turn on a thread of its own (warm-up blocks for seconds to minutes); returns when all are ready or unavailable.</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(() =>
    {
        if (options.NativeMmapThresholdKilobytes > 0)
        {
            NativeHeap.SetMmapThreshold(options.NativeMmapThresholdKilobytes * 1024);
        }

        var factory = new SessionFactory(options);
        var (provider, why) = factory.Choice;
        Log.ProviderChosen(logger, provider, why);
        foreach (var model in models.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            model.Load(factory, cancellationToken);
        }

        var serving = models.Values.Count(m => m.Availability == ModelAvailability.Ready);
        ready = serving > 0 && (serving == models.Count || !options.RequireEveryModelForReadiness);
        Log.EngineReady(logger, serving, models.Count);
    }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops admitting work and waits until every admitted tile has run.</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        ready = false;
        return Task.WhenAll(models.Values.Select(m => m.StopAsync(cancellationToken)));
    }

    /// <summary>
    /// Answers every request still waiting in a queue with <see cref="ModelNotReadyException"/> (503, to be retried
    /// elsewhere) instead of running it; the batches already running finish. For a drain that is running out of time.
    /// </summary>
    public void AbandonQueued()
    {
        ready = false;
        foreach (var model in models.Values)
        {
            model.Queue.Abandon(new ModelNotReadyException(model.Key.ToString(), "the service is shutting down and could not run this request in time; retry.",
                options.QueueFullRetryAfter));
        }
    }

    public async Task<RestorationResult> RestoreAsync(RestorationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        var model = ModelResolver.Find(models, job.Model);
        if (model.Availability != ModelAvailability.Ready || model.Card is null)
        {
            throw model.Availability == ModelAvailability.Loading
                ? new ModelNotReadyException(model.Key.ToString(), "the model is still loading.", options.QueueFullRetryAfter)
                : new ModelNotReadyException(model.Key.ToString(), model.Reason ?? "the model could not be loaded.");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await RunAsync(model, model.Card, job, cancellationToken).ConfigureAwait(false);
            model.Stats.RecordRequest(result.QueueWait, Stopwatch.GetElapsedTime(started));
            metrics.RecordQueueWait(model.Tags, result.QueueWait);
            return result;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A caller that went away is no failure of the model.
            model.Stats.RecordUnsuccessful(e);
            throw;
        }
    }

    private async Task<RestorationResult> RunAsync(ServedModel model, ModelCard card, RestorationJob job, CancellationToken cancellationToken)
    {
        var outputPixels = (long)job.Image.Width * job.Image.Height * card.Scale * card.Scale;
        if (outputPixels > limits.MaxOutputPixels)
        {
            throw new ImageRejectedException(ErrorCodes.ImageTooLarge,
                $"The result would have {outputPixels} pixels; at most {limits.MaxOutputPixels} are allowed ({ImageLimitsOptions.SectionName}:{nameof(ImageLimitsOptions.MaxOutputPixels)}).");
        }

        var grey = Greyscale.IsGrey(job.Image);
        var sizing = model.Sizing!;
        using IRestorationPlan plan = card.Task == RestorationTask.Inpaint
            ? InpaintPlan.Create(job.Image, job.Mask, card.Tile)
            : new TiledPlan(job.Image, card, sizing.For(job.Image.Width, job.Image.Height));
        job.Progress?.Report(new TileProgress(0, plan.TileCount));
        var request = new TiledRequest(plan, Activity.Current?.Context ?? default, cancellationToken, job.Progress, job.Background,
            sizing.WorkOf(plan.Shape));
        if (request.TileCount > 0)
        {
            using var registration = model.Queue.Enqueue(request);
            await request.Completion.ConfigureAwait(false);
        }

        RecordQueueSpan(model, request);
        var image = plan.Finish();

        // A plan may build its result afresh: the upload's bit depth decides the answer's, with or without alpha.
        image.Metadata.GetPngMetadata().BitDepth = job.Image.Metadata.GetPngMetadata().BitDepth;
        if (grey)
        {
            Greyscale.Flatten(image);
        }

        // the provider the request's batches ran on: the breaker's state now may differ from what it was then
        var provider = request.Provider ?? model.Provider ?? SessionFactory.CpuProvider;
        return new RestorationResult(image, model.Id, provider, request.TileCount,
            request.QueueWait, request.InferenceSpan, request.BatchTime);
    }

    /// <summary>The wait from admission until the request's first tile entered a batch.</summary>
    private static void RecordQueueSpan(ServedModel model, TiledRequest request)
    {
        if (request.FirstTakenAt == 0)
        {
            return;
        }

        using var activity = RestorationMetrics.ActivitySource.StartActivity(TelemetryNames.Spans.Queue, ActivityKind.Internal,
            request.Trace, startTime: request.AdmittedUtc);
        activity?.SetTag(TelemetryNames.Tags.Model, model.Id);
        activity?.SetTag(TelemetryNames.Tags.Precision, model.Tags.Precision);
        activity?.SetTag(TelemetryNames.Spans.RequestTiles, request.TileCount);
        activity?.SetEndTime(request.AdmittedUtc + Stopwatch.GetElapsedTime(request.AdmittedAt, request.FirstTakenAt));
    }

    public void Dispose()
    {
        foreach (var model in models.Values)
        {
            model.Dispose();
        }
    }
}
