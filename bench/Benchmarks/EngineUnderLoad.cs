using System.Diagnostics;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Benchmarks;

/// <summary>
/// A started <see cref="RestorationEngine"/> serving one model, driven in slices by concurrent callers that each
/// restore a one-tile image of random pixels (so it runs the same kind of tiles as the raw session: the networks ran
/// up to a third faster on a flat-colour image); keeps the tiles, time and latencies of all its slices.
/// </summary>
internal sealed class EngineUnderLoad : IAsyncDisposable
{
    private readonly RestorationEngine engine;
    private readonly Image<Rgba64> image;
    private readonly Image<Rgba64>? mask;
    private readonly RestorationJob job;
    private readonly List<double> latencies = [];
    private long tiles;
    private double seconds;

    private EngineUnderLoad(RestorationEngine engine, ModelCard card)
    {
        this.engine = engine;
        var side = card.Task == RestorationTask.Inpaint ? card.Tile.Size : card.Tile.Size - 2 * (card.Tile.Overlap / 2);
        image = RandomImage(side, seed: 1);
        if (card.Task == RestorationTask.Inpaint)
        {
            mask = new Image<Rgba64>(side, side, new Rgba64(0, 0, 0, ushort.MaxValue));
            mask[side / 2, side / 2] = new Rgba64(ushort.MaxValue, ushort.MaxValue, ushort.MaxValue, ushort.MaxValue);
        }

        job = new RestorationJob(card.Id, image, mask);
    }

    public static async Task<EngineUnderLoad> StartAsync(ModelCard card, InferenceOptions options)
    {
        var engine = new RestorationEngine(Options.Create(options), Options.Create(new ImageLimitsOptions()),
            new RestorationMetrics(null), NullLogger<RestorationEngine>.Instance);
        var started = new EngineUnderLoad(engine, card);
        await engine.LoadAsync(CancellationToken.None);
        (await engine.RestoreAsync(started.job, CancellationToken.None)).Image.Dispose();
        return started;
    }

    public double TilesPerSecond => tiles / seconds;

    private static Image<Rgba64> RandomImage(int side, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba64>(side, side);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                image[x, y] = new Rgba64((ushort)random.Next(ushort.MaxValue + 1), (ushort)random.Next(ushort.MaxValue + 1),
                    (ushort)random.Next(ushort.MaxValue + 1), ushort.MaxValue);
            }
        }

        return image;
    }

    public async Task RunSliceAsync(int callers, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var begun = Stopwatch.GetTimestamp();
                var result = await engine.RestoreAsync(job, CancellationToken.None);
                result.Image.Dispose();
                Interlocked.Add(ref tiles, result.Tiles);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                }
            }
        })));
        seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

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
