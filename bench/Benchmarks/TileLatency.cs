using System.Text.Json;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Median latency of one native tile at batch 1 on the CPU provider — the unit of work the service runs — for every
/// model, the models interleaved run by run so that all of them see the same machine state. Prints JSON
/// (<c>{"model id": milliseconds}</c>); <c>training/run evaluate</c> reads it for the speed floor.
/// </summary>
internal static class TileLatency
{
    private const int Runs = 20;

    public static string Measure(BenchmarkSettings settings)
    {
        var factory = new SessionFactory(new InferenceOptions
        {
            ExecutionProvider = ExecutionProviderPreference.Cpu,
            IntraOpThreads = settings.Threads,
            MaxBatchTiles = 1,
        });
        var models = ModelRepository.Discover(settings.ModelsRoot, [])
            .Where(m => m.Card is not null && (settings.Ids.Count == 0 || settings.Ids.Contains(m.Id)))
            .Select(m => (m.Id, Sessions: factory.Create(m)))
            .ToList();
        try
        {
            var times = models.ToDictionary(m => m.Id, _ => new List<double>());
            foreach (var (_, sessions) in models)
            {
                SessionTiming.FillRandom(sessions.Primary.Sessions[0], 1, seed: 1);
                SessionTiming.Milliseconds(sessions.Primary.Sessions[0], 1);
            }

            for (var run = 0; run < Runs; run++)
            {
                foreach (var (id, sessions) in models)
                {
                    times[id].Add(SessionTiming.Milliseconds(sessions.Primary.Sessions[0], 1));
                }
            }

            return JsonSerializer.Serialize(times.ToDictionary(t => t.Key, t => SessionTiming.Median(t.Value)));
        }
        finally
        {
            models.ForEach(m => m.Sessions.Dispose());
        }
    }
}
