using System.Diagnostics;
using System.Net;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Tests.Shared;

namespace LiteRestore.Api.Tests;

/// <summary>A model whose every batch runs until the inference timeout, behind a queue of one tile.</summary>
public sealed class OverloadTests(EndlessModelFactory factory) : IClassFixture<EndlessModelFactory>
{
    private const string Endless = "/v1/denoise?variant=experimental";
    private const int Flood = 4;
    private static readonly TimeSpan ScrapeDeadline = TimeSpan.FromSeconds(10);

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ARunPastTheInferenceTimeoutAnswers504AndCountsAsATimeoutOfItsPipeline()
    {
        using var response = await client.PostRawAsync(Endless, TestImages.Png(TestImages.Gradient(8, 8)));

        await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, ErrorCodes.Timeout);
        static bool TimedOut(string line) =>
            line.StartsWith("resilience_polly_strategy_events_total{", StringComparison.Ordinal)
            && line.Contains("event_name=\"OnTimeout\"", StringComparison.Ordinal)
            && line.Contains($"pipeline_name=\"{TelemetryNames.Resilience.TimeLimited}\"", StringComparison.Ordinal);
        var scrape = await client.ScrapeUntilAsync(text => text.Split('\n').Any(TimedOut), ScrapeDeadline);
        Assert.Contains(scrape.Split('\n'), line => TimedOut(line) && line.Contains("pipeline_instance=\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientThatGoesAwayCountsAsACancelledRequestNotAsAFailure()
    {
        // The client leaves once its request runs: one that leaves before reaching the endpoint was for no model yet.
        var traceId = ActivityTraceId.CreateRandom();
        using var gone = new CancelWhenBatched(traceId);
        using var request = HttpExtensions.TracedPngPost(Endless, TestImages.Png(TestImages.Gradient(8, 8)), traceId);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, gone.Token));

        static bool Cancelled(string line) =>
            line.StartsWith("literestore_requests_total{", StringComparison.Ordinal) && line.Contains("outcome=\"cancelled\"", StringComparison.Ordinal);
        var series = (await client.ScrapeUntilAsync(scrape => scrape.Split('\n').Any(Cancelled), ScrapeDeadline)).Split('\n');

        Assert.Contains(series, Cancelled);
        Assert.DoesNotContain(series, line => line.StartsWith("literestore_failures_total{", StringComparison.Ordinal) && line.Contains("reason=\"cancelled\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFloodedQueueAnswers429WithRetryAfter()
    {
        // Each image is many tiles; the first admitted fills the queue for a whole timeout, the others find it full.
        var image = TestImages.Png(TestImages.Gradient(64, 64));

        var responses = await Task.WhenAll(Enumerable.Range(0, Flood).Select(_ => client.PostRawAsync(Endless, image)));

        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.TooManyRequests, HttpStatusCode.GatewayTimeout }));
        var rejected = responses.First(response => response.StatusCode == HttpStatusCode.TooManyRequests);
        await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.Overloaded);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.All(responses, response => response.Dispose());
    }
}
