using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace LiteRestore.Api.Tests;

/// <summary>Probes, the model list and the Prometheus scrape endpoint.</summary>
public sealed class ServiceEndpointTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private static readonly TimeSpan ScrapeDeadline = TimeSpan.FromSeconds(10);

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ARestorationLeavesNoLogLineForEachOfItsBatches()
    {
        using var response = await client.PostRawAsync("/v1/denoise?variant=baseline", TestImages.Png(TestImages.Gradient(64, 64)));

        response.EnsureSuccessStatusCode();
        // Polly's pipelines log every execution at Information: one line per batch, which a busy service must not write.
        Assert.DoesNotContain(factory.Logs.Entries, entry => entry.Category.StartsWith("Polly", StringComparison.Ordinal) && entry.Level < LogLevel.Warning);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task ProbesPassOnceTheModelsAreWarm(string path)
    {
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheModelListHasEveryFixtureWithItsCardReadyOnCpuWithItsSessionsOrUnavailableWithAReason()
    {
        var models = (await client.GetFromJsonAsync<ModelStatus[]>("/v1/models"))!.ToDictionary(model => model.Id);

        Assert.Equal(["fx-conv", "fx-corrupt", "fx-identity", "fx-inpaint", "fx-sr-nearest"], models.Keys.Order());
        Assert.All(models.Values, model => Assert.Equal(model.Id, model.Card?.Id));
        Assert.All(models.Values.Where(model => model.Id != ModelFolders.CorruptModel), model =>
        {
            Assert.Equal(ModelAvailability.Ready, model.Availability);
            Assert.Equal("cpu", model.Provider);
            // The service's CPU default: one session per core up to four, sharing the cores, without batching.
            var sessions = Math.Min(Environment.ProcessorCount, 4);
            Assert.Equal(new EngineLayout(sessions, IntraOpThreads: Environment.ProcessorCount / sessions, MaxBatchTiles: 1), model.Engine);
        });
        Assert.Equal(ModelAvailability.Unavailable, models[ModelFolders.CorruptModel].Availability);
        Assert.False(string.IsNullOrWhiteSpace(models[ModelFolders.CorruptModel].Reason));
        Assert.Null(models[ModelFolders.CorruptModel].Engine);
    }

    [Fact]
    public async Task OneModelIsDescribedByItsId()
    {
        var model = await client.GetFromJsonAsync<ModelStatus>("/v1/models/fx-sr-nearest");

        Assert.Equal(RestorationTask.SuperResolve, model!.Card!.Task);
        Assert.Equal(4, model.Card.Scale);
    }

    [Fact]
    public async Task ARestorationIsTracedThroughDecodeQueueInferenceAndEncode()
    {
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;

        var traceId = ActivityTraceId.CreateRandom();
        using var request = HttpExtensions.TracedPngPost("/v1/denoise", TestImages.Png(TestImages.Gradient(20, 20)), traceId);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traced = spans.Where(span => span.TraceId == traceId).Select(span => span.OperationName).ToList();
        Assert.All(["literestore.decode", "literestore.queue", "literestore.encode"], name => Assert.Contains(name, traced));
        // A batch serves several requests, so its span links to theirs instead of having one parent.
        Assert.Contains(spans, span => span.OperationName == "literestore.inference" && span.Links.Any(link => link.Context.TraceId == traceId));
    }

    [Fact]
    public async Task MetricsShowPerModelSeriesAfterRequestsBesideHttpRuntimeAndProcessOnes()
    {
        using (var listed = await client.GetAsync("/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        using (var restored = await client.PostRawAsync("/v1/denoise?variant=baseline", TestImages.Png(TestImages.Gradient(20, 20))))
        {
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }

        var text = await client.ScrapeUntilAsync(scrape => scrape.Contains("model=\"fx-identity\"", StringComparison.Ordinal), ScrapeDeadline);

        var modelSeries = text.Split('\n').Where(line => line.StartsWith("literestore_", StringComparison.Ordinal) && line.Contains("model=\"fx-identity\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(modelSeries, line => line.StartsWith("literestore_requests", StringComparison.Ordinal));
        Assert.Contains(modelSeries, line => line.StartsWith("literestore_inference_duration", StringComparison.Ordinal));
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("http_route=\"/v1/models\"", text);
        Assert.DoesNotContain("http_route=\"/v1/models/\"", text);
        Assert.Contains("dotnet_gc_", text);
        Assert.Contains("process_cpu_", text);
    }
}
