using System.Diagnostics;
using System.Globalization;
using System.Text;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Per model and session configuration: the raw pooled sessions' throughput at batch 1..N (no tiling, no queue) and the
/// engine's throughput with many concurrent callers each sending one-tile images, at MaxBatchTiles 1 and N. Engine
/// overhead is measured against the raw sessions of the same configuration at the same batch size.
/// </summary>
internal sealed class ThroughputBenchmark(BenchmarkSettings settings)
{
    private const int LatencyPercentile = 99;

    // Each measurement's time is cut into this many slices, raw and engine taking turns: a change in the load of a
    // shared machine then falls on both sides of every overhead ratio alike instead of on whichever ran at the time.
    private const int Rounds = 5;

    public async Task<string> RunAsync()
    {
        var report = new StringBuilder();
        report.Append("## CPU throughput\n\n").Append(Machine.Describe(settings))
            .Append($" {settings.Duration.TotalSeconds:0.#} s per measurement, in {Rounds} slices taking turns with the others of its model and session configuration.\n\n");
        var rawRows = new List<string[]>();
        var engineRows = new List<string[]>();
        foreach (var model in ModelRepository.Discover(settings.ModelsRoot, []).Where(m => m.Card is not null))
        {
            foreach (var config in settings.Configs)
            {
                Console.Error.WriteLine($"benchmarking {model.Id}, {config}");
                await MeasureAsync(model, config, rawRows, engineRows);
            }
        }

        report.Append("### Raw sessions (pooled sessions with pinned buffers, each run back to back on its own thread; no tiling or queue)\n\n")
            .Append(MarkdownReport.Table(["model", "sessions x threads", "batch", "tiles/s", "ms/batch"], rawRows))
            .Append("\n### Engine (concurrent callers, one-tile images)\n\n")
            .Append(MarkdownReport.Table(["model", "sessions x threads", "MaxBatchTiles", "callers", "tiles/s", "p50 ms", $"p{LatencyPercentile} ms", "overhead vs raw at that batch"], engineRows));
        return report.ToString();
    }

    private async Task MeasureAsync(ModelDescriptor model, SessionConfig config, List<string[]> rawRows, List<string[]> engineRows)
    {
        using var sessions = new SessionFactory(Options(config, settings.MaxBatch)).Create(model);
        var pooled = sessions.Primary.Sessions;
        foreach (var session in pooled)
        {
            SessionTiming.FillRandom(session, sessions.MaxBatch, seed: 1);
        }

        var raw = Enumerable.Range(1, sessions.MaxBatch).ToDictionary(batch => batch, _ => new Throughput());
        var engines = new Dictionary<int, EngineUnderLoad>();
        try
        {
            foreach (var maxBatch in new[] { 1, sessions.MaxBatch }.Distinct())
            {
                engines[maxBatch] = await EngineUnderLoad.StartAsync(model.Card!, Options(config, maxBatch, model));
            }

            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (batch, throughput) in raw)
                {
                    RunRaw(pooled, batch, throughput);
                }

                foreach (var engine in engines.Values)
                {
                    await engine.RunSliceAsync(settings.Callers, settings.Duration / Rounds);
                }
            }

            var name = config.ToString();
            rawRows.AddRange(raw.Select(r => new[]
            {
                model.Id, name, Text(r.Key), Text(r.Value.PerSecond, "0.0"), Text(r.Key * pooled.Count / r.Value.PerSecond * 1000, "0.00"),
            }));
            engineRows.AddRange(engines.Select(e => new[]
            {
                model.Id, name, Text(e.Key), Text(settings.Callers), Text(e.Value.TilesPerSecond, "0.0"),
                Text(e.Value.LatencyPercentile(50), "0.0"), Text(e.Value.LatencyPercentile(LatencyPercentile), "0.0"),
                Text((1 - e.Value.TilesPerSecond / raw[e.Key].PerSecond) * 100, "0.0") + " %",
            }));
        }
        finally
        {
            foreach (var engine in engines.Values)
            {
                await engine.DisposeAsync();
            }
        }
    }

    /// <summary>Every session runs <paramref name="batch"/> back to back on its own thread for one slice; their tiles/s add up.</summary>
    private void RunRaw(IReadOnlyList<PooledSession> sessions, int batch, Throughput throughput)
    {
        var threads = sessions.Select(session => new Thread(() =>
        {
            session.Run(batch, CancellationToken.None);
            var runs = 0;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < settings.Duration / Rounds)
            {
                session.Run(batch, CancellationToken.None);
                runs++;
            }

            lock (throughput)
            {
                throughput.Add(runs * batch, Stopwatch.GetElapsedTime(started).TotalSeconds / sessions.Count);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    private InferenceOptions Options(SessionConfig config, int maxBatch, ModelDescriptor? servedModel = null)
    {
        var options = new InferenceOptions
        {
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            SessionsPerModel = config.Sessions,
            IntraOpThreads = config.Threads,
            MaxBatchTiles = maxBatch,
            WarmUp = true,
        };
        if (servedModel is not null)
        {
            options.ModelsRoot = settings.ModelsRoot;
            options.Models = [servedModel.Id];
            options.QueueCapacityTiles = Math.Max(options.QueueCapacityTiles, settings.Callers * 2);
        }

        return options;
    }

    private static string Text(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class Throughput
    {
        private long tiles;
        private double seconds;

        public double PerSecond => tiles / seconds;

        public void Add(long moreTiles, double moreSeconds)
        {
            tiles += moreTiles;
            seconds += moreSeconds;
        }
    }
}
