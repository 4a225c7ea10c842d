using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests.Infrastructure;

internal static class HttpExtensions
{
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(200);

    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, byte[] image, byte[]? mask = null)
    {
        var form = new MultipartFormDataContent { { ImageContent(image), "image", "image.png" } };
        if (mask is not null)
        {
            form.Add(ImageContent(mask), "mask", "mask.png");
        }

        return client.PostAsync(path, form);
    }

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, byte[] body, string mediaType = "image/png") =>
        client.PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } });

    /// <summary>A PNG upload that carries a W3C trace context, so that the service's spans for it join <paramref name="trace"/>.</summary>
    public static HttpRequestMessage TracedPngPost(string path, byte[] png, ActivityTraceId trace) => new(HttpMethod.Post, path)
    {
        Content = ImageContent(png),
        Headers = { { "traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01" } },
    };

    public static async Task<Image<Rgb24>> ReadImageAsync(this HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return Image.Load<Rgb24>(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Asserts an RFC 9457 answer with this status and <c>code</c>, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>
    /// Scrapes <c>/metrics</c> until <paramref name="shows"/> holds for it or <paramref name="deadline"/> has passed, and
    /// returns the last scrape: the exporter caches a scrape briefly, so an earlier one may not show a request yet.
    /// </summary>
    public static async Task<string> ScrapeUntilAsync(this HttpClient client, Func<string, bool> shows, TimeSpan deadline)
    {
        var end = DateTime.UtcNow + deadline;
        string text;
        while (!shows(text = await client.GetStringAsync("/metrics")) && DateTime.UtcNow < end)
        {
            await Task.Delay(ScrapeInterval);
        }

        return text;
    }

    private static ByteArrayContent ImageContent(byte[] bytes) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };
}
