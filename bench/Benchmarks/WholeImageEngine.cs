using LiteRestore.Contracts;
using LiteRestore.Inference;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Benchmarks;

/// <summary>
/// A started <see cref="RestorationEngine"/> on the CPU defaults serving one model in one precision, restoring one whole
/// image of random pixels (a 1024² output) at a time.
/// </summary>
internal sealed class WholeImageEngine : IAsyncDisposable
{
    private readonly RestorationEngine engine;
    private readonly Image<Rgba64> image;
    private readonly RestorationJob job;

    private WholeImageEngine(RestorationEngine engine, ModelDescriptor model)
    {
        this.engine = engine;
        Card = model.Card!;
        var side = RawWholeImageRun.OutputSide / Card.Scale;
        image = RandomImages.Opaque(side, seed: 1);
        job = new RestorationJob(model.Id, image, Precision: model.Precision);
        Sizing = engine.TileSizingOf(model.Key) ?? throw new InvalidOperationException($"{model.Key} did not load.");
    }

    public ModelCard Card { get; }

    public TileSizing Sizing { get; }

    /// <summary>Tiles the whole image ran in, the last time it was restored.</summary>
    public int Tiles { get; private set; }

    /// <summary>An engine serving <paramref name="model"/> with CPU tiles of up to <paramref name="tileMegabytes"/> (0: native tiles).</summary>
    public static async Task<WholeImageEngine> StartAsync(ModelDescriptor model, string modelsRoot, int tileMegabytes)
    {
        var options = new InferenceOptions
        {
            ModelsRoot = modelsRoot,
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            Models = [model.Id],
            Precisions = [model.Precision],
            CpuTileMegabytes = tileMegabytes,
        };
        var engine = new RestorationEngine(Options.Create(options), Options.Create(new ImageLimitsOptions()),
            new TileRunMemory(Options.Create(options)), new RestorationMetrics(null), NullLoggerFactory.Instance);
        await engine.LoadAsync(CancellationToken.None);
        var started = new WholeImageEngine(engine, model);
        await started.MeasureAsync(TimeSpan.Zero); // uncounted: the first sized runs grow the arenas
        return started;
    }

    /// <summary>Images per second over whole restorations for at least <paramref name="slice"/>.</summary>
    public Task<double> MeasureAsync(TimeSpan slice) => SliceRate.MeasureAsync(async () =>
    {
        var result = await engine.RestoreAsync(job, CancellationToken.None);
        result.Image.Dispose();
        Tiles = result.Tiles;
    }, slice);

    public ValueTask DisposeAsync()
    {
        engine.Dispose();
        image.Dispose();
        return ValueTask.CompletedTask;
    }
}
