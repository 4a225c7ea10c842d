using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests;

/// <summary>The restoration endpoints on the engine's fixture networks: bodies, negotiation, headers, shapes.</summary>
public sealed class RestorationEndpointTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData(PngColorType.Rgb)]
    [InlineData(PngColorType.RgbWithAlpha)]
    public async Task A16BitPngComesBack16BitWithOrWithoutAlpha(PngColorType colorType)
    {
        using var input = TestImages.Gradient(24, 16);
        if (colorType == PngColorType.RgbWithAlpha)
        {
            input[3, 2] = new Rgba32(10, 20, 30, 128);
        }

        var upload = ImageBytes.Of(input, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = colorType });

        using var response = await client.PostRawAsync("/v1/denoise?variant=baseline", upload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = Image.Identify(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(PngBitDepth.Bit16, info.Metadata.GetPngMetadata().BitDepth);
    }

    [Fact]
    public async Task MultipartDenoiseAnswersAPngOfTheSameSizeWithTimingAndModelHeaders()
    {
        using var input = TestImages.Gradient(40, 30);

        using var response = await client.PostFormAsync("/v1/denoise", TestImages.Png(input));

        using var output = await response.ReadImageAsync();
        Assert.Equal(input.Size(), output.Size());
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("fx-conv", Header(response, "X-Model-Id"));
        Assert.Equal("lightweight", Header(response, "X-Model-Variant"));
        Assert.Equal("cpu", Header(response, "X-Execution-Provider"));
        var timings = Header(response, "Server-Timing").Split(", ");
        Assert.Equal(["decode", "queue", "infer", "encode", "total", "batches"], timings.Select(metric => metric.Split(';')[0]));
        Assert.All(timings, metric => Assert.Matches(@"^\w+;dur=\d+(\.\d+)?$", metric));
    }

    [Fact]
    public async Task ServerTimingSpansOfAManyTileRequestAddUpToAtMostItsTotal()
    {
        // 96 x 96 in the fixture's 32 px tiles: many tiles, run by the sessions side by side
        using var input = TestImages.Gradient(96, 96);

        using var response = await client.PostFormAsync("/v1/denoise", TestImages.Png(input));

        var timings = Header(response, "Server-Timing").Split(", ")
            .ToDictionary(metric => metric.Split(';')[0], metric => double.Parse(metric.Split("dur=")[1], CultureInfo.InvariantCulture));
        Assert.True(timings["decode"] + timings["queue"] + timings["infer"] + timings["encode"] <= timings["total"], string.Join(", ", timings));
        Assert.True(timings["batches"] > 0);
    }

    [Fact]
    public async Task ARawImageBodyIsRestoredLikeAFormUpload()
    {
        using var input = TestImages.Gradient(33, 17);

        using var response = await client.PostRawAsync("/v1/denoise?variant=baseline", TestImages.Png(input));

        // The baseline fixture is the identity network: the answer is the upload itself.
        using var output = await response.ReadImageAsync();
        Assert.Equal("fx-identity", Header(response, "X-Model-Id"));
        Assert.Equal("baseline", Header(response, "X-Model-Variant"));
        Assert.Equal(double.PositiveInfinity, TestImages.Psnr(input.CloneAs<Rgb24>(), output));
    }

    [Theory]
    [InlineData("image/webp", null, "image/webp")]
    [InlineData("image/jpeg;q=0.5, image/webp", null, "image/webp")]
    [InlineData("image/jpeg", null, "image/jpeg")]
    [InlineData("*/*", null, "image/png")]
    [InlineData("image/*", null, "image/png")]
    [InlineData("application/json", null, "image/png")]
    [InlineData("image/webp", "jpeg", "image/jpeg")]
    [InlineData(null, "webp", "image/webp")]
    [InlineData(null, "PNG", "image/png")]
    public async Task TheAnswerIsEncodedAsFormatElseAsAcceptPrefersElsePng(string? accept, string? format, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, format is null ? "/v1/denoise" : $"/v1/denoise?format={format}")
        {
            Content = new ByteArrayContent(TestImages.Png(TestImages.Gradient(20, 20)))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("image/png") },
            },
        };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        var decoded = Image.DetectFormat(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(expected, expected switch
        {
            "image/png" => Assert.IsType<PngFormat>(decoded).DefaultMimeType,
            "image/jpeg" => Assert.IsType<JpegFormat>(decoded).DefaultMimeType,
            _ => Assert.IsType<WebpFormat>(decoded).DefaultMimeType,
        });
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task SuperResolveAnswersFourTimesTheSize()
    {
        using var input = TestImages.Gradient(13, 9);

        using var response = await client.PostFormAsync("/v1/super-resolve?variant=baseline&scale=4", TestImages.Png(input));

        using var output = await response.ReadImageAsync();
        Assert.Equal(new Size(52, 36), output.Size());
        Assert.Equal("fx-sr-nearest", Header(response, "X-Model-Id"));
    }

    [Theory]
    [InlineData("/v1/denoise", 1)]
    [InlineData("/v1/super-resolve?variant=baseline", 4)]
    [InlineData("/v1/inpaint?variant=baseline", 1)]
    public async Task ASinglePixel16BitGreyscaleUploadIsRestored(string path, int scale)
    {
        using var input = new Image<L16>(1, 1);
        using var png = new MemoryStream();
        await input.SaveAsPngAsync(png, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });

        using var response = await client.PostRawAsync(path, png.ToArray());

        using var output = await response.ReadImageAsync();
        Assert.Equal(new Size(scale, scale), output.Size());
    }

    [Fact]
    public async Task InpaintWithAMaskChangesOnlyTheHole()
    {
        using var input = TestImages.Gradient(48, 40).CloneAs<Rgb24>();
        var hole = new Rectangle(10, 12, 9, 7);
        using var mask = new Image<Rgb24>(input.Width, input.Height);
        TestImages.Paint(mask, hole, new Rgb24(255, 255, 255));

        using var response = await client.PostFormAsync("/v1/inpaint?variant=baseline", TestImages.Png(input), TestImages.Png(mask));

        using var output = await response.ReadImageAsync();
        AssertOnlyHoleChanged(input, output, hole);
    }

    [Fact]
    public async Task InpaintWithoutAMaskFillsTheTransparentPixels()
    {
        using var input = TestImages.Gradient(48, 40);
        var hole = new Rectangle(20, 5, 6, 11);
        TestImages.Paint(input, hole, default(Rgba32));

        using var response = await client.PostRawAsync("/v1/inpaint?variant=baseline", TestImages.Png(input));

        using var output = await response.ReadImageAsync();
        AssertOnlyHoleChanged(input.CloneAs<Rgb24>(), output, hole);
    }

    /// <summary>The fixture fills holes with mid grey and passes every other pixel through.</summary>
    private static void AssertOnlyHoleChanged(Image<Rgb24> input, Image<Rgb24> output, Rectangle hole)
    {
        Assert.Equal(input.Size(), output.Size());
        Assert.Equal(double.PositiveInfinity, TestImages.Psnr(input, output, (x, y) => !hole.Contains(x, y)));
        Assert.All(
            Enumerable.Range(hole.Top, hole.Height).SelectMany(y => Enumerable.Range(hole.Left, hole.Width).Select(x => output[x, y])),
            pixel => Assert.InRange(pixel.R, 127, 128));
    }

    private static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}
