using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Tests.Shared;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests;

/// <summary>Every way a client can get a request wrong answers a coded problem, never a 5xx.</summary>
public sealed class ErrorTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private static readonly byte[] Photo = TestImages.Png(TestImages.Gradient(24, 24));

    private static readonly Dictionary<string, (Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Code)> Cases = new()
    {
        ["a truncated PNG"] = (
            client => client.PostRawAsync("/v1/denoise", Photo[..(Photo.Length / 2)]),
            HttpStatusCode.BadRequest, ErrorCodes.ImageInvalid),
        ["an empty image body"] = (
            client => client.PostRawAsync("/v1/denoise", []),
            HttpStatusCode.BadRequest, ErrorCodes.ImageInvalid),
        ["an empty image field"] = (
            client => client.PostFormAsync("/v1/denoise", []),
            HttpStatusCode.BadRequest, ErrorCodes.ImageInvalid),
        ["an unknown variant"] = (
            client => client.PostRawAsync("/v1/denoise?variant=huge", Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["an unknown precision"] = (
            client => client.PostRawAsync("/v1/denoise?precision=fp16", Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["an unknown precision of a model"] = (
            client => client.GetAsync("/v1/models/fx-identity?precision=fp16"),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a precision the model is not served in"] = (
            client => client.PostRawAsync("/v1/denoise?variant=baseline&precision=int8", Photo),
            HttpStatusCode.NotFound, ErrorCodes.ModelNotFound),
        ["a model in a precision it is not served in"] = (
            client => client.GetAsync("/v1/models/fx-identity?precision=int8"),
            HttpStatusCode.NotFound, ErrorCodes.ModelNotFound),
        ["an unknown format"] = (
            client => client.PostRawAsync("/v1/denoise?format=gif", Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a scale other than 4"] = (
            client => client.PostRawAsync("/v1/super-resolve?variant=baseline&scale=2", Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a scale that is no number"] = (
            client => client.PostRawAsync("/v1/super-resolve?variant=baseline&scale=four", Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a form without the image field"] = (
            client => client.PostAsync("/v1/denoise", new MultipartFormDataContent { { new ByteArrayContent(Photo), "picture", "p.png" } }),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a form whose image is a text field"] = (
            client => client.PostAsync("/v1/denoise", new MultipartFormDataContent { { new StringContent("photo"), "image" } }),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a form with two images"] = (
            client => client.PostAsync("/v1/denoise", new MultipartFormDataContent
            {
                { new ByteArrayContent(Photo), "image", "a.png" },
                { new ByteArrayContent(Photo), "image", "b.png" },
            }),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a mask for a task that takes none"] = (
            client => client.PostFormAsync("/v1/denoise", Photo, Photo),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a form cut short"] = (
            client => client.PostAsync("/v1/denoise", Typed("--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc", "multipart/form-data; boundary=xyz")),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["a form without a boundary"] = (
            client => client.PostAsync("/v1/denoise", Typed("whatever", "multipart/form-data")),
            HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid),
        ["an unknown model id"] = (
            client => client.GetAsync("/v1/models/no-such-model"),
            HttpStatusCode.NotFound, ErrorCodes.ModelNotFound),
        ["a variant no model serves"] = (
            client => client.PostRawAsync("/v1/super-resolve?variant=lightweight", Photo),
            HttpStatusCode.NotFound, ErrorCodes.ModelNotFound),
        ["a model that failed to load"] = (
            client => client.PostRawAsync("/v1/denoise?variant=experimental", Photo),
            HttpStatusCode.ServiceUnavailable, ErrorCodes.ModelNotReady),
        ["a body over the size limit"] = (
            client => client.PostRawAsync("/v1/denoise", new byte[FixtureModelsFactory.MaxRequestBodyBytes + 1]),
            HttpStatusCode.RequestEntityTooLarge, ErrorCodes.ImageTooLarge),
        ["a body of unknown length over the size limit"] = (
            client => client.PostAsync("/v1/denoise", new StreamContent(new UnseekableStream(new byte[FixtureModelsFactory.MaxRequestBodyBytes + 1]))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("image/png") },
            }),
            HttpStatusCode.RequestEntityTooLarge, ErrorCodes.ImageTooLarge),
        ["an image over the pixel limit"] = (
            client => client.PostRawAsync("/v1/denoise", TestImages.Png(TestImages.Gradient(200, 100))),
            HttpStatusCode.RequestEntityTooLarge, ErrorCodes.ImageTooLarge),
        ["a JPEG the decoder trips over"] = (
            client => client.PostRawAsync("/v1/denoise", CorruptImages.JpegWithoutScan()),
            HttpStatusCode.BadRequest, ErrorCodes.ImageInvalid),
        ["a JPEG feature the decoder lacks"] = (
            client => client.PostRawAsync("/v1/denoise", CorruptImages.ArithmeticCodedJpeg()),
            HttpStatusCode.UnsupportedMediaType, ErrorCodes.MediaTypeUnsupported),
        ["a text body"] = (
            client => client.PostAsync("/v1/denoise", Typed("hello", "text/plain")),
            HttpStatusCode.UnsupportedMediaType, ErrorCodes.MediaTypeUnsupported),
        ["bytes in no supported image format"] = (
            client => client.PostRawAsync("/v1/denoise", Encoding.ASCII.GetBytes("GIF89a, or anything else")),
            HttpStatusCode.UnsupportedMediaType, ErrorCodes.MediaTypeUnsupported),
        ["no body at all"] = (
            client => client.PostAsync("/v1/denoise", content: null),
            HttpStatusCode.UnsupportedMediaType, ErrorCodes.MediaTypeUnsupported),
        ["a mask of another size"] = (
            client => client.PostFormAsync("/v1/inpaint?variant=baseline", Photo, TestImages.Png(new SixLabors.ImageSharp.Image<Rgb24>(10, 10))),
            HttpStatusCode.UnprocessableEntity, ErrorCodes.MaskMismatch),
        ["a mask that leaves no pixel known"] = (
            client => client.PostFormAsync("/v1/inpaint?variant=baseline", Photo, TestImages.Png(new SixLabors.ImageSharp.Image<Rgb24>(24, 24, new Rgb24(255, 255, 255)))),
            HttpStatusCode.UnprocessableEntity, ErrorCodes.HoleCoversImage),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ABadRequestAnswersItsProblem(string name)
    {
        var (send, status, code) = Cases[name];
        using var client = factory.CreateClient();

        using var response = await send(client);

        var problem = await response.AssertProblemAsync(status, code);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task AClientsMistakeIsCountedApartFromTheServicesFailures()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostRawAsync("/v1/denoise", "not an image"u8.ToArray());

        static bool Invalid(string line, string series) =>
            line.StartsWith(series + "{", StringComparison.Ordinal) && line.Contains("reason=\"image_invalid\"", StringComparison.Ordinal);
        var lines = (await client.ScrapeUntilAsync(scrape => scrape.Split('\n').Any(line => Invalid(line, "literestore_client_errors_total")),
            TimeSpan.FromSeconds(10))).Split('\n');
        Assert.DoesNotContain(lines, line => Invalid(line, "literestore_failures_total"));
    }

    [Fact]
    public async Task AnUnknownPathAnswersAProblem()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/v1/nothing-here");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    private static StringContent Typed(string body, string contentType) =>
        new(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

    /// <summary>A body whose length the client cannot know, so it is sent without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
