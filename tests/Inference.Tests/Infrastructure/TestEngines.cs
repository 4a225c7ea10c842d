using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests.Infrastructure;

internal static class TestEngines
{
    private static readonly TimeSpan QueueDeadline = TimeSpan.FromSeconds(10);

    public static Task<RestorationEngine> StartAsync(
        string[] models,
        Action<InferenceOptions>? configure = null,
        string? root = null,
        RestorationMetrics? metrics = null,
        ImageLimitsOptions? limits = null) =>
        LoadedAsync(Create(models, configure, root, metrics, limits).Engine);

    /// <summary>An engine not loaded yet, and the options it was made with.</summary>
    public static (RestorationEngine Engine, InferenceOptions Options) Create(
        string[] models,
        Action<InferenceOptions>? configure = null,
        string? root = null,
        RestorationMetrics? metrics = null,
        ImageLimitsOptions? limits = null,
        ILoggerFactory? loggers = null)
    {
        var options = new InferenceOptions
        {
            ModelsRoot = root ?? Fixtures.Models,
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            // One session batching up to four native tiles, whatever the machine's cores: the tests of queueing,
            // batching and cancellation count on it; EngineLayoutsTests covers the defaults, TileSizingTests the
            // tiles sized per request.
            SessionsPerModel = 1,
            IntraOpThreads = 1,
            MaxBatchTiles = 4,
            CpuTileMegabytes = 0,
            MaxQueueDelay = TimeSpan.Zero,
            Models = models,
        };
        configure?.Invoke(options);
        var engine = new RestorationEngine(Options.Create(options), Options.Create(limits ?? new ImageLimitsOptions()),
            new TileRunMemory(Options.Create(options)), metrics ?? new RestorationMetrics(null), loggers ?? NullLoggerFactory.Instance);
        return (engine, options);
    }

    /// <summary>An engine serving only fx-endless, whose every run loops until ONNX Runtime is told to terminate; no warm-up.</summary>
    public static Task<RestorationEngine> StartEndlessAsync(Action<InferenceOptions> configure) => LoadedAsync(CreateEndless(configure).Engine);

    /// <summary>The engine of <see cref="StartEndlessAsync"/>, not loaded yet, and the options it was made with.</summary>
    public static (RestorationEngine Engine, InferenceOptions Options) CreateEndless(Action<InferenceOptions> configure) =>
        Create(["fx-endless"], o =>
        {
            o.WarmUp = false;
            configure(o);
        }, root: Fixtures.Endless);

    /// <summary>
    /// Two fx-endless requests on an engine that runs one tile at a time: the first runs until the inference timeout, the
    /// second waits in the queue behind it.
    /// </summary>
    public static async Task<(Task<RestorationResult> Running, Task<RestorationResult> Queued)> RunOneQueueOneAsync(
        this RestorationEngine engine, Image<Rgba64> input)
    {
        var running = engine.RestoreAsync(new RestorationJob("fx-endless", input), CancellationToken.None);
        var queued = engine.RestoreAsync(new RestorationJob("fx-endless", input), CancellationToken.None);
        Assert.True(await Poll.UntilAsync(() => engine.Status("fx-endless").Stats!.QueueDepth == 1, QueueDeadline));
        return (running, queued);
    }

    public static async Task<Image<Rgba64>> RestoreAsync(this RestorationEngine engine, string model, Image<Rgba64> image, Image<Rgba64>? mask = null)
    {
        var result = await engine.RestoreAsync(new RestorationJob(model, image, mask), CancellationToken.None);
        return result.Image;
    }

    public static ModelStatus Status(this RestorationEngine engine, string model) =>
        engine.GetModel(new ModelKey(model)) ?? throw new InvalidOperationException($"no model {model}");

    private static async Task<RestorationEngine> LoadedAsync(RestorationEngine engine)
    {
        await engine.LoadAsync(CancellationToken.None);
        return engine;
    }
}
