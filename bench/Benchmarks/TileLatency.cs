using System.Text.Json;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Median latency of one native tile at batch 1 on the CPU provider — the unit of work the service runs — for every
/// model in every precision its card offers (or those of <c>--precisions</c>), the models taking turns in short blocks
/// of back-to-back runs so that all of them see the same machine state. Prints JSON (<c>{"model id": {"fp32": milliseconds, "int8": ...}}</c>);
/// <c>training/run evaluate</c> reads it for the speed floor, <c>training/run quantize</c> for the card.
/// </summary>
/// <remarks>
/// The first run of each block is not counted: a session's intra-op threads keep spinning for a while after its run,
/// and when the models alternated run by run, the previous model's spinning threads took the cores from the next
/// model's run. That added a few tens of milliseconds to every run and made a 36 ms model look like a 60 ms one.
/// </remarks>
internal static class TileLatency
{
    private const int Blocks = 5;
    private const int RunsPerBlock = 4;

    public static string Measure(BenchmarkSettings settings)
    {
        var factory = new SessionFactory(new InferenceOptions
        {
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            SessionsPerModel = 1,
            IntraOpThreads = settings.Threads,
            MaxBatchTiles = 1,
        });
        var models = settings.SelectedModelsInEachPrecision()
            .Select(m => (m.Key, Sessions: factory.Create(m)))
            .ToList();
        try
        {
            var times = models.ToDictionary(m => m.Key, _ => new List<double>());
            foreach (var (_, sessions) in models)
            {
                SessionTiming.FillRandom(sessions.Primary.Sessions[0], 1, seed: 1);
            }

            for (var block = 0; block < Blocks; block++)
            {
                foreach (var (key, sessions) in models)
                {
                    SessionTiming.Milliseconds(sessions.Primary.Sessions[0], 1);
                    for (var run = 0; run < RunsPerBlock; run++)
                    {
                        times[key].Add(SessionTiming.Milliseconds(sessions.Primary.Sessions[0], 1));
                    }
                }
            }

            return JsonSerializer.Serialize(times
                .GroupBy(t => t.Key.Id)
                .ToDictionary(model => model.Key, model => model.ToDictionary(t => WireNames.Of(t.Key.Precision), t => SessionTiming.Median(t.Value))));
        }
        finally
        {
            models.ForEach(m => m.Sessions.Dispose());
        }
    }
}
