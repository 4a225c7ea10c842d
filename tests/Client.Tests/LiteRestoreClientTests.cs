using System.Net;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Client.Tests;

/// <summary>The typed client against the whole service in memory, on the engine's fixture networks.</summary>
public sealed class LiteRestoreClientTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private static readonly TimeSpan JobPoll = TimeSpan.FromMilliseconds(20);

    private readonly LiteRestoreClient client = new(factory.CreateClient());

    [Fact]
    public async Task DenoiseAnswersTheImageWithItsModelVariantPrecisionProviderAndTimings()
    {
        var restored = await client.DenoiseAsync(Photo(), new RestoreOptions { Variant = ModelVariant.Baseline, Format = ImageFormat.Webp });

        Assert.Equal("image/webp", restored.ContentType);
        Assert.Equal((24, 16), Size(restored.Bytes));
        Assert.Equal(("fx-identity", ModelVariant.Baseline, ModelPrecision.Fp32, "cpu"), (restored.ModelId, restored.Variant, restored.Precision, restored.Provider));
        Assert.True(restored.ServerTiming["total"] > TimeSpan.Zero);
    }

    [Fact]
    public async Task AProblemAnswerIsATypedExceptionWithItsStableCode()
    {
        var problem = await Assert.ThrowsAsync<LiteRestoreProblemException>(() =>
            client.DenoiseAsync(Photo(), new RestoreOptions { Variant = ModelVariant.Baseline, Precision = ModelPrecision.Int8 }));

        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.ModelNotFound), (problem.Status, problem.Code));
        Assert.Contains("not served in int8", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobRunsToItsResultAndIsGoneOnceDeleted()
    {
        var submitted = await client.SubmitJobAsync(RestorationTask.Denoise, Photo(), new RestoreOptions { Variant = ModelVariant.Baseline });

        var finished = await client.WaitForJobAsync(submitted.Id, JobPoll);
        var result = await client.GetJobResultAsync(submitted.Id);
        await client.DeleteJobAsync(submitted.Id);

        Assert.Equal((JobState.Succeeded, "fx-identity", ModelPrecision.Fp32), (finished.State, finished.ModelId, finished.Precision));
        Assert.Equal((24, 16), Size(result));
        var gone = await Assert.ThrowsAsync<LiteRestoreProblemException>(() => client.GetJobAsync(submitted.Id));
        Assert.Equal(ErrorCodes.JobNotFound, gone.Code);
    }

    [Fact]
    public async Task ModelsAreListedAndReadOneByOneInAPrecision()
    {
        var models = await client.ListModelsAsync();
        var upscaler = await client.GetModelAsync("fx-sr-nearest", ModelPrecision.Fp32);

        Assert.Contains(models, model => model.Id == "fx-sr-nearest");
        Assert.Equal((4, ModelAvailability.Ready), (upscaler.Card!.Scale, upscaler.Availability));
    }

    private static byte[] Photo()
    {
        using var image = new Image<Rgb24>(24, 16);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(x * 10), (byte)(y * 15), 128);
                }
            }
        });
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }

    private static (int Width, int Height) Size(ReadOnlyMemory<byte> encoded)
    {
        var info = Image.Identify(encoded.ToArray());
        return (info.Width, info.Height);
    }
}
