using System.Diagnostics;

namespace LiteRestore.Inference.Tests.Infrastructure;

internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> has passed; returns whether it holds.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition() && Stopwatch.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(Interval);
        }

        return condition();
    }
}
