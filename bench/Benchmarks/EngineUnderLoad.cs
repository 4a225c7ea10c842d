using System.Diagnostics;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Benchmarks;

/// <summary>
/// A started <see cref="RestorationEngine"/> serving one model, driven in slices by concurrent callers that each
/// restore a one-tile image of random pixels (so it runs the same kind of tiles as the raw session: the networks ran
/// up to a third faster on a flat-colour image); keeps the latencies of all its measured slices.
/// </summary>
internal sealed class EngineUnderLoad : IAsyncDisposable
{
    private readonly RestorationEngine engine;
    private readonly Image<Rgba64> image;
    private readonly Image<Rgba64>? mask;
    private readonly RestorationJob job;
    private readonly InferenceSpans spans;
    private readonly List<double> latencies = [];

    private EngineUnderLoad(RestorationEngine engine, ModelCard card, InferenceSpans spans)
    {
        this.engine = engine;
        this.spans = spans;
        var side = card.Task == RestorationTask.Inpaint ? card.Tile.Size : card.Tile.Size - 2 * (card.Tile.Overlap / 2);
        image = RandomImages.Opaque(side, seed: 1);
        if (card.Task == RestorationTask.Inpaint)
        {
            mask = new Image<Rgba64>(side, side, new Rgba64(0, 0, 0, ushort.MaxValue));
            mask[side / 2, side / 2] = new Rgba64(ushort.MaxValue, ushort.MaxValue, ushort.MaxValue, ushort.MaxValue);
        }

        job = new RestorationJob(card.Id, image, mask);
    }

    public static async Task<EngineUnderLoad> StartAsync(ModelCard card, InferenceOptions options, InferenceSpans spans)
    {
        var engine = new RestorationEngine(Options.Create(options), Options.Create(new ImageLimitsOptions()),
            new TileRunMemory(Options.Create(options)), new RestorationMetrics(null), NullLoggerFactory.Instance);
        var started = new EngineUnderLoad(engine, card, spans);
        await engine.LoadAsync(CancellationToken.None);
        (await engine.RestoreAsync(started.job, CancellationToken.None)).Image.Dispose();
        return started;
    }

    /// <summary>Drives the engine through one window and returns it with the tiles of the batches run inside it.</summary>
    public async Task<Window> RunSliceAsync(int callers, TimeSpan length)
    {
        var window = new Window(length);
        spans.Recording = window;
        await DriveAsync(callers, window, latencies);
        spans.Recording = null;
        return window;
    }

    /// <summary>Drives the engine through one window that is not counted, so that the measured ones run its fully compiled code.</summary>
    public Task WarmUpAsync(int callers, TimeSpan length) => DriveAsync(callers, new Window(length), []);

    /// <summary>Callers send requests until the window is over and then wait for their last answers.</summary>
    private Task DriveAsync(int callers, Window window, List<double> latencyLog) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!window.IsOver(Stopwatch.GetTimestamp()))
            {
                var begun = Stopwatch.GetTimestamp();
                (await engine.RestoreAsync(job, CancellationToken.None)).Image.Dispose();
                lock (latencyLog)
                {
                    latencyLog.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                }
            }
        })));

    public double LatencyPercentile(int percentile)
    {
        var sorted = latencies.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public async ValueTask DisposeAsync()
    {
        await engine.DrainAsync(CancellationToken.None);
        engine.Dispose();
        image.Dispose();
        mask?.Dispose();
    }
}
