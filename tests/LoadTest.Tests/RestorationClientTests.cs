using System.Diagnostics;
using System.Net;
using System.Text;
using LiteRestore.Client;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

/// <summary>How one answer, or its absence, becomes a sample.</summary>
public sealed class RestorationClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ImageSize Size = new(24, 16);

    [Fact]
    public async Task ARestoredImageGivesItsTimingsModelAndProvider()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([1, 2, 3]),
            Headers =
            {
                { ResponseHeaders.ServerTiming, "decode;dur=1, queue;dur=2.5, infer;dur=7, encode;dur=1, total;dur=12" },
                { ResponseHeaders.ModelId, "denoise-lightweight" },
                { ResponseHeaders.ExecutionProvider, "cuda" },
            },
        }));
        var due = Stopwatch.GetTimestamp();

        var sample = await Send(handler, RestorationTask.Denoise, ModelVariant.Lightweight, due);

        Assert.True(sample.Succeeded);
        Assert.Equal((2.5, 7.0), (sample.ServerTimingMs[ServerTimingHeader.Queue], sample.ServerTimingMs[ServerTimingHeader.Infer]));
        Assert.Equal(("denoise-lightweight", "cuda"), (sample.ModelId, sample.Provider));
        Assert.Equal(24 * 16 / 1e6, sample.Megapixels);
        Assert.InRange(sample.LatencyMs, 0, Stopwatch.GetElapsedTime(due).TotalMilliseconds);
    }

    [Fact]
    public async Task DenoiseSendsTheImageInAFormToItsEndpointWithVariantPrecisionAndFormat()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        var image = SyntheticImages.Create(Size, withMask: false);

        await new RestorationClient(new LiteRestoreClient(handler.CreateClient()), RestorationTask.Denoise, ImageFormat.Webp, Timeout)
            .SendAsync(image, new ModelChoice(ModelVariant.Baseline, ModelPrecision.Int8), Stopwatch.GetTimestamp(), CancellationToken.None);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/v1/denoise?variant=baseline&precision=int8&format=webp", request.RequestUri!.PathAndQuery);
        Assert.Equal("multipart/form-data", request.Content!.Headers.ContentType!.MediaType);
        var form = Encoding.Latin1.GetString(body);
        Assert.Contains("name=image", form, StringComparison.Ordinal);
        Assert.DoesNotContain("name=mask", form, StringComparison.Ordinal);
        Assert.Contains(Encoding.Latin1.GetString(image.Content), form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InpaintingSendsAFormWithTheImageAndItsMask()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));

        await Send(handler, RestorationTask.Inpaint, ModelVariant.Baseline, Stopwatch.GetTimestamp());

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("/v1/inpaint?variant=baseline&precision=fp32&format=png", request.RequestUri!.PathAndQuery);
        Assert.Equal("multipart/form-data", request.Content!.Headers.ContentType!.MediaType);
        var form = Encoding.Latin1.GetString(body);
        Assert.Contains("name=image", form, StringComparison.Ordinal);
        Assert.Contains("name=mask", form, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "application/problem+json", """{"status":429,"code":"overloaded"}""", "429 overloaded")]
    [InlineData(HttpStatusCode.GatewayTimeout, "application/problem+json", """{"status":504,"code":"timeout"}""", "504 timeout")]
    [InlineData(HttpStatusCode.InternalServerError, "text/plain", "boom", "500")]
    [InlineData(HttpStatusCode.BadGateway, "application/json", "[1]", "502")]
    public async Task AFailedRequestCountsUnderItsStatusAndProblemCode(HttpStatusCode status, string mediaType, string body, string error)
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        }));

        var sample = await Send(handler, RestorationTask.Denoise, ModelVariant.Baseline, Stopwatch.GetTimestamp());

        Assert.False(sample.Succeeded);
        Assert.Equal(error, sample.Error);
        Assert.Empty(sample.ServerTimingMs);
    }

    [Fact]
    public async Task ARefusedConnectionIsANetworkError()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var sample = await Send(handler, RestorationTask.Denoise, ModelVariant.Baseline, Stopwatch.GetTimestamp());

        Assert.Equal("network ConnectionError", sample.Error);
    }

    [Fact]
    public async Task NoAnswerWithinTheRequestTimeoutIsATimeout()
    {
        var handler = new StubHandler(async (_, cancellationToken) =>
        {
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var client = new RestorationClient(new LiteRestoreClient(handler.CreateClient()), RestorationTask.Denoise, ImageFormat.Png, TimeSpan.FromMilliseconds(50));

        var sample = await client.SendAsync(SyntheticImages.Create(Size, withMask: false), new ModelChoice(ModelVariant.Baseline, ModelPrecision.Fp32), Stopwatch.GetTimestamp(), CancellationToken.None);

        Assert.Equal(RestorationClient.TimeoutError, sample.Error);
        Assert.True(sample.LatencyMs >= 50);
    }

    private static Task<RequestSample> Send(StubHandler handler, RestorationTask task, ModelVariant variant, long due) =>
        new RestorationClient(new LiteRestoreClient(handler.CreateClient()), task, ImageFormat.Png, Timeout)
            .SendAsync(SyntheticImages.Create(Size, withMask: task == RestorationTask.Inpaint), new ModelChoice(variant, ModelPrecision.Fp32), due, CancellationToken.None);
}
