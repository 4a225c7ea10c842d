using System.Diagnostics;

namespace LiteRestore.Benchmarks;

/// <summary>How many times a second something completes, over whole runs of it for at least one slice of time.</summary>
internal static class SliceRate
{
    public static async Task<double> MeasureAsync(Func<Task> run, TimeSpan slice)
    {
        var started = Stopwatch.GetTimestamp();
        var runs = 0;
        do
        {
            await run();
            runs++;
        }
        while (Stopwatch.GetElapsedTime(started) < slice);

        return runs / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
