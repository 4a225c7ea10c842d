using LiteRestore.Api.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests;

/// <summary>The trained networks, through the whole service, on a photograph none of them was trained on.</summary>
public sealed class QualityTests(TrainedModelsFactory factory) : IClassFixture<TrainedModelsFactory>
{
    private const double NoiseSigma = 25;
    private const int NoiseSeed = 7;
    private const double MinimumDenoiseGainDb = 2;
    private const double MaximumMeanShiftLevels = 0.5;
    private const int Scale = 4;

    /// <summary>How close an int8 answer must be to the fp32 one (PSNR between them): differences far below what the eye sees.</summary>
    private const double MinimumInt8AgreementDb = 40;

    /// <summary>How far below a full-resolution harmonic fill a thin stroke's fill may fall (hole PSNR).</summary>
    private const double StrokeFillToleranceDb = 0.5;

    /// <summary>How far from its true column an edge may cross the middle of a square hole that it runs through.</summary>
    private const double EdgeTolerancePixels = 3;

    /// <summary>Border pixels left out of the super-resolution comparison, as is usual: the scale factor.</summary>
    private const int Shave = Scale;

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineRaisesThePsnrOfANoisyPhoto() => AssertDenoiseRaisesPsnr("baseline");

    [ModelFact("denoise-lightweight")]
    public Task DenoiseLightweightRaisesThePsnrOfANoisyPhoto() => AssertDenoiseRaisesPsnr("lightweight");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineReturnsACleanPhotoWithItsColours() => AssertCleanPhotoKeepsItsColours("baseline");

    [ModelFact("denoise-lightweight")]
    public Task DenoiseLightweightReturnsACleanPhotoWithItsColours() => AssertCleanPhotoKeepsItsColours("lightweight");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineReturnsANoisyGreyscalePhotoCleanerAndInGreyscale() => AssertGreyscaleStaysGrey("baseline");

    [ModelFact("denoise-lightweight")]
    public Task DenoiseLightweightReturnsANoisyGreyscalePhotoCleanerAndInGreyscale() => AssertGreyscaleStaysGrey("lightweight");

    [ModelFact("sr4-baseline")]
    public Task SuperResolveBaselineBeatsBicubic() => AssertSuperResolveBeatsBicubic("baseline");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineInInt8RaisesThePsnrOfANoisyPhoto() => AssertDenoiseRaisesPsnr("baseline", "int8");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineInInt8ReturnsACleanPhotoWithItsColours() => AssertCleanPhotoKeepsItsColours("baseline", "int8");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineInInt8ReturnsANoisyGreyscalePhotoCleanerAndInGreyscale() => AssertGreyscaleStaysGrey("baseline", "int8");

    [ModelFact("sr4-baseline")]
    public Task SuperResolveBaselineInInt8BeatsBicubic() => AssertSuperResolveBeatsBicubic("baseline", "int8");

    [ModelFact("denoise-baseline")]
    public Task DenoiseBaselineInInt8GivesNearlyTheFp32Picture() =>
        AssertInt8IsNearlyTheFp32Picture(photo => TestImages.WithNoise(photo, NoiseSigma, NoiseSeed), "/v1/denoise?variant=baseline");

    [ModelFact("sr4-baseline")]
    public Task SuperResolveBaselineInInt8GivesNearlyTheFp32Picture() =>
        AssertInt8IsNearlyTheFp32Picture(photo => TestImages.Resized(photo, photo.Width / Scale, photo.Height / Scale), $"/v1/super-resolve?variant=baseline&scale={Scale}");

    [ModelFact("sr4-lightweight")]
    public Task SuperResolveLightweightBeatsBicubic() => AssertSuperResolveBeatsBicubic("lightweight");

    [ModelFact("inpaint-baseline")]
    public Task InpaintBaselineChangesOnlyTheHoleAndBeatsAMeanFill() => AssertInpaintBeatsMeanFill("baseline");

    [ModelFact("inpaint-lightweight")]
    public Task InpaintLightweightChangesOnlyTheHoleAndBeatsAMeanFill() => AssertInpaintBeatsMeanFill("lightweight");

    [ModelFact("inpaint-baseline")]
    public Task InpaintBaselineContinuesAStraightEdgeThroughASquareHole() => AssertEdgeIsContinued("baseline");

    [ModelFact("inpaint-lightweight")]
    public Task InpaintLightweightContinuesAStraightEdgeThroughASquareHole() => AssertEdgeIsContinued("lightweight");

    [ModelFact("inpaint-baseline")]
    public Task InpaintBaselineFillsThinStrokesAtFullResolution() => AssertThinStrokesMatchAFullResolutionFill("baseline");

    [ModelFact("inpaint-lightweight")]
    public Task InpaintLightweightFillsThinStrokesAtFullResolution() => AssertThinStrokesMatchAFullResolutionFill("lightweight");

    private async Task AssertDenoiseRaisesPsnr(string variant, string precision = "fp32")
    {
        using var clean = TestImages.Photo();
        using var noisy = TestImages.WithNoise(clean, NoiseSigma, NoiseSeed);

        using var response = await factory.CreateClient().PostFormAsync($"/v1/denoise?variant={variant}&precision={precision}", TestImages.Png(noisy));

        using var denoised = await response.ReadImageAsync();
        var before = TestImages.Psnr(clean, noisy);
        var after = TestImages.Psnr(clean, denoised);
        Assert.True(after >= before + MinimumDenoiseGainDb, $"PSNR {before:0.00} dB noisy, {after:0.00} dB denoised");
    }

    private async Task AssertCleanPhotoKeepsItsColours(string variant, string precision = "fp32")
    {
        using var clean = TestImages.Photo();

        using var response = await factory.CreateClient().PostFormAsync($"/v1/denoise?variant={variant}&precision={precision}", TestImages.Png(clean));

        using var returned = await response.ReadImageAsync();
        var (before, after) = (TestImages.ChannelMeans(clean), TestImages.ChannelMeans(returned));
        for (var c = 0; c < before.Length; c++)
        {
            Assert.True(Math.Abs(after[c] - before[c]) <= MaximumMeanShiftLevels,
                $"channel {"RGB"[c]}: mean {before[c]:0.00} sent, {after[c]:0.00} returned");
        }
    }

    private async Task AssertGreyscaleStaysGrey(string variant, string precision = "fp32")
    {
        using var photo = TestImages.Photo();
        using var clean = photo.CloneAs<L8>();
        using var noisyColour = TestImages.WithNoise(photo, NoiseSigma, NoiseSeed);
        using var noisy = noisyColour.CloneAs<L8>();

        using var response = await factory.CreateClient().PostFormAsync($"/v1/denoise?variant={variant}&precision={precision}", TestImages.Png(noisy));

        using var denoised = await response.ReadImageAsync();
        Assert.Equal(0, TestImages.CountColouredPixels(denoised));
        using var cleanRgb = clean.CloneAs<Rgb24>();
        using var noisyRgb = noisy.CloneAs<Rgb24>();
        var before = TestImages.Psnr(cleanRgb, noisyRgb);
        var after = TestImages.Psnr(cleanRgb, denoised);
        Assert.True(after >= before + MinimumDenoiseGainDb, $"PSNR {before:0.00} dB noisy, {after:0.00} dB denoised");
    }

    private async Task AssertSuperResolveBeatsBicubic(string variant, string precision = "fp32")
    {
        using var truth = TestImages.Photo();
        using var small = TestImages.Resized(truth, truth.Width / Scale, truth.Height / Scale);
        using var bicubic = TestImages.Resized(small, truth.Width, truth.Height);

        using var response = await factory.CreateClient().PostFormAsync($"/v1/super-resolve?variant={variant}&precision={precision}&scale={Scale}", TestImages.Png(small));

        using var enlarged = await response.ReadImageAsync();
        var interior = new Rectangle(Shave, Shave, truth.Width - 2 * Shave, truth.Height - 2 * Shave);
        var model = TestImages.Psnr(truth, enlarged, interior.Contains);
        var reference = TestImages.Psnr(truth, bicubic, interior.Contains);
        Assert.True(model > reference, $"PSNR {model:0.00} dB model, {reference:0.00} dB bicubic");
    }

    private async Task AssertInt8IsNearlyTheFp32Picture(Func<Image<Rgb24>, Image<Rgb24>> upload, string path)
    {
        using var photo = TestImages.Photo();
        using var sent = upload(photo);
        var client = factory.CreateClient();

        using var fp32Response = await client.PostFormAsync($"{path}&precision=fp32", TestImages.Png(sent));
        using var int8Response = await client.PostFormAsync($"{path}&precision=int8", TestImages.Png(sent));

        Assert.Equal("fp32", Assert.Single(fp32Response.Headers.GetValues("X-Model-Precision")));
        Assert.Equal("int8", Assert.Single(int8Response.Headers.GetValues("X-Model-Precision")));
        using var fp32 = await fp32Response.ReadImageAsync();
        using var int8 = await int8Response.ReadImageAsync();
        var apart = TestImages.Psnr(fp32, int8);
        Assert.True(apart >= MinimumInt8AgreementDb, $"int8 and fp32 answers {apart:0.00} dB apart");
    }

    private async Task AssertInpaintBeatsMeanFill(string variant)
    {
        using var truth = TestImages.Photo();
        var hole = new Rectangle(36, 30, 20, 16);
        using var holed = Holed(truth, hole);
        using var meanFilled = truth.Clone();
        TestImages.Paint(meanFilled, hole, MeanOutside(truth, hole));

        using var filled = await InpaintAsync(holed, hole, variant);
        Assert.Equal(double.PositiveInfinity, TestImages.Psnr(holed, filled, (x, y) => !hole.Contains(x, y)));
        var model = TestImages.Psnr(truth, filled, hole.Contains);
        var reference = TestImages.Psnr(truth, meanFilled, hole.Contains);
        Assert.True(model > reference, $"PSNR in the hole {model:0.00} dB model, {reference:0.00} dB mean fill");
    }

    /// <summary>
    /// Strokes two pixels wide across the whole photograph: resampling them to a working size blends their
    /// neighbours into them, which a fill at the image's own resolution does not.
    /// </summary>
    private async Task AssertThinStrokesMatchAFullResolutionFill(string variant)
    {
        using var truth = TestImages.Photo();
        Rectangle[] strokes = [new(4, 40, 88, 2), new(60, 8, 2, 80), new(12, 70, 70, 2), new(20, 10, 2, 50)];
        bool InStroke(int x, int y) => strokes.Any(s => s.Contains(x, y));
        using var mask = new Image<Rgb24>(truth.Width, truth.Height);
        using var holed = truth.Clone();
        foreach (var stroke in strokes)
        {
            TestImages.Paint(mask, stroke, new Rgb24(255, 255, 255));
            TestImages.Paint(holed, stroke, default);
        }

        using var response = await factory.CreateClient().PostFormAsync($"/v1/inpaint?variant={variant}", TestImages.Png(holed), TestImages.Png(mask));

        using var filled = await response.ReadImageAsync();
        using var reference = HarmonicFill.Fill(holed, InStroke);
        Assert.Equal(double.PositiveInfinity, TestImages.Psnr(holed, filled, (x, y) => !InStroke(x, y)));
        var model = TestImages.Psnr(truth, filled, InStroke);
        var harmonic = TestImages.Psnr(truth, reference, InStroke);
        Assert.True(model >= harmonic - StrokeFillToleranceDb, $"PSNR in the strokes {model:0.00} dB model, {harmonic:0.00} dB full-resolution harmonic fill");
    }

    /// <summary>A vertical edge between two flat colours, 5 px right of the centre of a 32 px square hole.</summary>
    private async Task AssertEdgeIsContinued(string variant)
    {
        const int Side = 96, EdgeColumn = 53;
        var hole = new Rectangle(32, 32, 32, 32);
        using var holed = new Image<Rgb24>(Side, Side);
        TestImages.Paint(holed, new Rectangle(0, 0, EdgeColumn, Side), new Rgb24(40, 60, 120));
        TestImages.Paint(holed, new Rectangle(EdgeColumn, 0, Side - EdgeColumn, Side), new Rgb24(210, 180, 90));
        TestImages.Paint(holed, hole, default);

        using var filled = await InpaintAsync(holed, hole, variant);
        var crossing = InpaintMeasures.EdgeCrossing(filled, row: hole.Top + (hole.Height / 2), from: hole.Left - 1, to: hole.Right);
        Assert.NotNull(crossing);
        // between the last pixel of the left colour and the first of the right one
        Assert.InRange(crossing.Value, EdgeColumn - 0.5 - EdgeTolerancePixels, EdgeColumn - 0.5 + EdgeTolerancePixels);
    }

    /// <summary>The photograph with <paramref name="hole"/> painted black, as a user's upload would have it.</summary>
    private static Image<Rgb24> Holed(Image<Rgb24> truth, Rectangle hole)
    {
        var holed = truth.Clone();
        TestImages.Paint(holed, hole, default);
        return holed;
    }

    /// <summary>The service's fill of <paramref name="hole"/> in <paramref name="holed"/>.</summary>
    private async Task<Image<Rgb24>> InpaintAsync(Image<Rgb24> holed, Rectangle hole, string variant)
    {
        using var mask = new Image<Rgb24>(holed.Width, holed.Height);
        TestImages.Paint(mask, hole, new Rgb24(255, 255, 255));
        using var response = await factory.CreateClient().PostFormAsync($"/v1/inpaint?variant={variant}", TestImages.Png(holed), TestImages.Png(mask));
        return await response.ReadImageAsync();
    }

    private static Rgb24 MeanOutside(Image<Rgb24> image, Rectangle hole)
    {
        var (r, g, b, count) = (0L, 0L, 0L, 0L);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (!hole.Contains(x, y))
                {
                    var pixel = image[x, y];
                    (r, g, b, count) = (r + pixel.R, g + pixel.G, b + pixel.B, count + 1);
                }
            }
        }

        return new Rgb24((byte)(r / count), (byte)(g / count), (byte)(b / count));
    }
}
