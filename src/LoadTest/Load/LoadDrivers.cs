using System.Diagnostics;

namespace LiteRestore.LoadTest.Load;

/// <summary>
/// Issues requests for one phase. <c>issue</c> sends one request and records it; its argument is the
/// <see cref="Stopwatch"/> timestamp the request's latency counts from. Both return when every request has been answered.
/// </summary>
internal static class LoadDrivers
{
    public static Task RunAsync(LoadLevel level, TimeSpan duration, Func<long, Task> issue, CancellationToken cancellationToken) =>
        level.Model switch
        {
            LoadModel.Closed => RunClosedAsync((int)level.Value, duration, issue, cancellationToken),
            LoadModel.Open => RunOpenAsync(new ArrivalSchedule(level.Value, duration), issue, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(level), level.Model, "Unknown load model."),
        };

    /// <summary>Each client sends its next request as soon as its last one is answered, until the duration is over.</summary>
    public static async Task RunClosedAsync(int clients, TimeSpan duration, Func<long, Task> issue, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
            {
                await issue(Stopwatch.GetTimestamp());
            }
        }));
    }

    /// <summary>
    /// Sends every request of the schedule at its slot, never waiting for earlier answers. A request's latency counts
    /// from its slot, not from when it was actually sent, so a saturated service (or client) shows up as queueing
    /// instead of silently lowering the request rate (coordinated omission).
    /// </summary>
    public static async Task RunOpenAsync(ArrivalSchedule schedule, Func<long, Task> issue, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(schedule.Count);
        for (var index = 0; index < schedule.Count && !cancellationToken.IsCancellationRequested; index++)
        {
            var due = schedule.DueTimestamp(started, index);
            await WaitUntilAsync(due, cancellationToken);
            inFlight.Add(Task.Run(() => issue(due), CancellationToken.None));
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// Returns at or after <paramref name="timestamp"/>, never before. Timers run on a millisecond clock and may fire
    /// up to a millisecond ahead of a <see cref="Stopwatch"/> deadline; a request sent ahead of its slot would count
    /// its latency from the future, and a fast answer would come out negative.
    /// </summary>
    private static async Task WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        while ((wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp)) > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
        }
    }
}
