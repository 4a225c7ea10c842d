using System.Diagnostics;

namespace LiteRestore.LoadTest.Http;

/// <summary>
/// Asks <c>GET /healthz</c> at a fixed interval while a phase runs, as an orchestrator's liveness probe does: a replica
/// whose probes slow down under load is restarted or taken out of rotation, however fast it restores.
/// </summary>
internal sealed class HealthProbe(HttpClient http, TimeSpan interval, TimeSpan timeout)
{
    public const string Path = "/healthz";

    /// <summary>
    /// Probes until <paramref name="stop"/> is cancelled: each probe's latency in ms, or null where it failed or timed
    /// out. A zero interval sends none.
    /// </summary>
    public async Task<IReadOnlyList<double?>> RunAsync(CancellationToken stop)
    {
        var probes = new List<double?>();
        if (interval == TimeSpan.Zero)
        {
            return probes;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                probes.Add(await ProbeAsync(stop));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The phase is over; a probe cut short by it is not counted.
        }

        return probes;
    }

    private async Task<double?> ProbeAsync(CancellationToken stop)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(Path, HttpCompletionOption.ResponseContentRead, limit.Token);
            return response.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return null;
        }
    }
}
