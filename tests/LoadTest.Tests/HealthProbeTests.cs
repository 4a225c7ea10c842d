using System.Net;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

/// <summary>The liveness probes a load test sends beside its load.</summary>
public sealed class HealthProbeTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task ProbesHealthzAtTheIntervalUntilStoppedAndTimesEachAnswer()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var probes = await new HealthProbe(handler.CreateClient(), Interval, TimeSpan.FromSeconds(30)).RunAsync(stop.Token);

        Assert.True(probes.Count >= 2, $"{probes.Count} probes");
        Assert.All(probes, probe => Assert.True(probe >= 0));
        Assert.InRange(handler.Requests.Count, probes.Count, probes.Count + 1); // a probe the stop cut short is not counted
        Assert.All(handler.Requests, sent => Assert.Equal((HttpMethod.Get, HealthProbe.Path), (sent.Request.Method, sent.Request.RequestUri!.AbsolutePath)));
    }

    [Fact]
    public async Task AnUnhealthyRefusedOrSilentProbeCountsAsFailed()
    {
        var answered = 0;
        var handler = new StubHandler(async (_, cancellationToken) =>
        {
            switch (Interlocked.Increment(ref answered) % 3)
            {
                case 1:
                    return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                case 2:
                    throw new HttpRequestException("connection refused");
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
            }
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var probes = await new HealthProbe(handler.CreateClient(), Interval, TimeSpan.FromMilliseconds(50)).RunAsync(stop.Token);

        Assert.True(probes.Count >= 3, $"{probes.Count} probes");
        Assert.All(probes, probe => Assert.Null(probe));
    }
}
