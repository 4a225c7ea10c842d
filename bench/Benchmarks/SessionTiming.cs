using System.Diagnostics;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>Fills a pooled session's input tiles and times single runs of it.</summary>
internal static class SessionTiming
{
    public static void FillRandom(PinnedSession session, int tiles, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < tiles; i++)
        {
            foreach (ref var value in session.InputTile(i))
            {
                value = random.NextSingle();
            }
        }
    }

    public static double Milliseconds(PinnedSession session, int batch)
    {
        var started = Stopwatch.GetTimestamp();
        session.Run(batch, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
