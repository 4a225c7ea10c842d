using System.Diagnostics;
using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Per model: the raw pooled session's throughput at batch 1..N (no tiling, no queue), then the engine's throughput
/// with many concurrent callers each sending one-tile images, at MaxBatchTiles 1 and N. Engine overhead is measured
/// against the raw session at the same batch size.
/// </summary>
internal sealed class ThroughputBenchmark(BenchmarkSettings settings)
{
    private const int LatencyPercentile = 99;

    public async Task<string> RunAsync()
    {
        var report = new StringBuilder();
        report.Append("## CPU throughput\n\n").Append(Machine.Describe(settings))
            .Append($" {settings.Duration.TotalSeconds:0.#} s per measurement.\n\n");
        var rawRows = new List<string[]>();
        var engineRows = new List<string[]>();
        foreach (var model in ModelRepository.Discover(settings.ModelsRoot, []).Where(m => m.Card is not null))
        {
            Console.Error.WriteLine($"benchmarking {model.Id}");
            var raw = Raw(model);
            rawRows.AddRange(raw.Select(r => new[] { model.Id, Text(r.Key), Text(r.Value, "0.0"), Text(r.Key / r.Value * 1000, "0.00") }));
            foreach (var maxBatch in new[] { 1, raw.Keys.Max() }.Distinct())
            {
                var (tilesPerSecond, p50, p99) = await EngineAsync(model, maxBatch);
                var overhead = 1 - tilesPerSecond / raw[maxBatch];
                engineRows.Add([model.Id, Text(maxBatch), Text(settings.Callers), Text(tilesPerSecond, "0.0"), Text(p50, "0.0"), Text(p99, "0.0"), Text(overhead * 100, "0.0") + " %"]);
            }
        }

        report.Append("### Raw session (one pooled session, pinned buffers, no tiling or queue)\n\n")
            .Append(MarkdownReport.Table(["model", "batch", "tiles/s", "ms/batch"], rawRows))
            .Append("\n### Engine (concurrent callers, one-tile images, one session)\n\n")
            .Append(MarkdownReport.Table(["model", "MaxBatchTiles", "callers", "tiles/s", "p50 ms", $"p{LatencyPercentile} ms", "overhead vs raw at that batch"], engineRows));
        return report.ToString();
    }

    private Dictionary<int, double> Raw(ModelDescriptor model)
    {
        using var sessions = new SessionFactory(Options(ExecutionProviderPreference.Cpu, settings.MaxBatch)).Create(model);
        var session = sessions.Primary.Sessions[0];
        SessionTiming.FillRandom(session, sessions.MaxBatch, seed: 1);

        var result = new Dictionary<int, double>();
        for (var batch = 1; batch <= sessions.MaxBatch; batch++)
        {
            session.Run(batch, CancellationToken.None);
            var runs = 0;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < settings.Duration)
            {
                session.Run(batch, CancellationToken.None);
                runs++;
            }

            result[batch] = runs * batch / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        return result;
    }

    private async Task<(double TilesPerSecond, double P50, double P99)> EngineAsync(ModelDescriptor model, int maxBatch)
    {
        var options = Options(ExecutionProviderPreference.Cpu, maxBatch);
        options.ModelsRoot = settings.ModelsRoot;
        options.Models = [model.Id];
        options.QueueCapacityTiles = Math.Max(options.QueueCapacityTiles, settings.Callers * 2);
        using var engine = new RestorationEngine(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new ImageLimitsOptions()),
            new RestorationMetrics(null), NullLogger<RestorationEngine>.Instance);
        await engine.LoadAsync(CancellationToken.None);
        var card = model.Card!;
        var side = card.Task == RestorationTask.Inpaint ? card.Tile.Size : card.Tile.Size - 2 * (card.Tile.Overlap / 2);
        using var image = new SixLabors.ImageSharp.Image<Rgba64>(side, side, new Rgba64(20000, 30000, 40000, ushort.MaxValue));
        using var mask = new SixLabors.ImageSharp.Image<Rgba64>(side, side, new Rgba64(0, 0, 0, ushort.MaxValue));
        mask[side / 2, side / 2] = new Rgba64(ushort.MaxValue, ushort.MaxValue, ushort.MaxValue, ushort.MaxValue);
        var job = new RestorationJob(model.Id, image, card.Task == RestorationTask.Inpaint ? mask : null);
        (await engine.RestoreAsync(job, CancellationToken.None)).Image.Dispose();

        var latencies = new List<double>();
        var tiles = 0L;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, settings.Callers).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetElapsedTime(started) < settings.Duration)
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
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await engine.DrainAsync(CancellationToken.None);
        latencies.Sort();
        return (tiles / elapsed, Percentile(latencies, 50), Percentile(latencies, LatencyPercentile));
    }

    private InferenceOptions Options(ExecutionProviderPreference provider, int maxBatch) => new()
    {
        ExecutionProvider = provider,
        IntraOpThreads = settings.Threads,
        MaxBatchTiles = maxBatch,
        WarmUp = true,
    };

    private static double Percentile(List<double> sorted, int percentile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Text(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
}
