using System.Diagnostics;
using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using static LiteRestore.Benchmarks.MarkdownReport;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Per model and session configuration: the raw pooled sessions' throughput at batch 1..N (no tiling, no queue) and the
/// engine's throughput with many concurrent callers each sending one-tile images, at MaxBatchTiles 1 and N. Engine
/// overhead is measured against the raw sessions of the same configuration at the same batch size.
/// </summary>
internal sealed class ThroughputBenchmark(BenchmarkSettings settings)
{
    private const int LatencyPercentile = 99;

    // Each measurement's time is cut into this many short slices, the engine's taking turns with the raw sessions' at
    // the same batch: the speed of a shared machine drifts by 10-20 % within seconds, and short paired slices let such a
    // drift fall on both sides of the overhead ratio alike.
    private const int Rounds = 20;

    public async Task<string> RunAsync()
    {
        var report = new StringBuilder();
        report.Append("## CPU throughput\n\n").Append(Machine.Describe(settings))
            .Append($" {settings.Duration.TotalSeconds:0.#} s per measurement, in {Rounds} slices; each engine slice is paired with a raw slice at the same batch right before or after it.\n\n");
        var rawRows = new List<string[]>();
        var engineRows = new List<string[]>();
        foreach (var model in ModelRepository.Discover(settings.ModelsRoot, [], [ModelPrecision.Fp32]).Where(settings.Selects))
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
            .Append(MarkdownReport.Table(["model", "sessions x threads", "MaxBatchTiles", "callers", "tiles/s", "p50 ms", $"p{LatencyPercentile} ms", "overhead vs raw at that batch", "middle half of paired slices"], engineRows));
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

        var slice = settings.Duration / Rounds;
        var batches = Enumerable.Range(1, sessions.MaxBatch).ToList();
        var raw = batches.ToDictionary(batch => batch, _ => new Throughput());
        var engines = new Dictionary<int, EngineUnderLoad>();
        var served = new Dictionary<int, Throughput>();
        var pairedOverheads = new Dictionary<int, List<double>>();
        using var spans = new InferenceSpans();
        try
        {
            foreach (var maxBatch in new[] { 1, sessions.MaxBatch }.Distinct())
            {
                engines[maxBatch] = await EngineUnderLoad.StartAsync(model.Card!, Options(config, maxBatch, model), spans);
                served[maxBatch] = new Throughput();
                pairedOverheads[maxBatch] = [];
                await engines[maxBatch].WarmUpAsync(settings.Callers, slice);
            }

            // An uncounted slice at every batch, as the engines had one.
            batches.ForEach(batch => RunRaw(pooled, batch, slice));
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var batch in batches)
                {
                    if (!engines.TryGetValue(batch, out var engine))
                    {
                        raw[batch].Add(RunRaw(pooled, batch, slice));
                        continue;
                    }

                    // Raw and engine swap places every round, so neither always runs in the other's wake.
                    var rawFirst = round % 2 == 0;
                    var rawWindow = rawFirst ? RunRaw(pooled, batch, slice) : null;
                    var engineWindow = await engine.RunSliceAsync(settings.Callers, slice);
                    rawWindow ??= RunRaw(pooled, batch, slice);
                    raw[batch].Add(rawWindow);
                    served[batch].Add(engineWindow);
                    pairedOverheads[batch].Add(1 - engineWindow.TilesPerSecond / rawWindow.TilesPerSecond);
                }
            }

            var name = config.ToString();
            rawRows.AddRange(raw.Select(r => new[]
            {
                model.Id, name, Cell(r.Key, "0"), Cell(r.Value.PerSecond, "0.0"), Cell(r.Key * pooled.Count / r.Value.PerSecond * 1000, "0.00"),
            }));
            engineRows.AddRange(engines.Select(e => new[]
            {
                model.Id, name, Cell(e.Key, "0"), Cell(settings.Callers, "0"), Cell(served[e.Key].PerSecond, "0.0"),
                Cell(e.Value.LatencyPercentile(50), "0.0"), Cell(e.Value.LatencyPercentile(LatencyPercentile), "0.0"),
                Percent(1 - served[e.Key].PerSecond / raw[e.Key].PerSecond),
                $"{Percent(Quantile(pairedOverheads[e.Key], 0.25))} to {Percent(Quantile(pairedOverheads[e.Key], 0.75))}",
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

    /// <summary>Every session runs <paramref name="batch"/> back to back on its own thread until the window is over.</summary>
    private static Window RunRaw(IReadOnlyList<PinnedSession> sessions, int batch, TimeSpan slice)
    {
        var window = new Window(slice);
        var threads = sessions.Select(session => new Thread(() =>
        {
            long end;
            do
            {
                var start = Stopwatch.GetTimestamp();
                session.Run(batch, CancellationToken.None);
                end = Stopwatch.GetTimestamp();
                window.Credit(start, end, batch);
            }
            while (!window.IsOver(end));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return window;
    }

    private static double Quantile(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(quantile * (sorted.Count - 1))];
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


    private static string Percent(double fraction) => Cell(fraction * 100, "0.0") + " %";
}
