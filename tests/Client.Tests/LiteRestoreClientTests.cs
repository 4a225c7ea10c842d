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

    private readonly LiteRestoreClient _client = new(factory.CreateClient());

    [Fact]
    public async Task Denoise_answers_the_image_with_its_model_variant_precision_provider_and_timings()
    {
        var restored = await _client.DenoiseAsync(Photo(), new RestoreOptions { Variant = ModelVariant.Baseline, Format = ImageFormat.Webp });

        Assert.Equal("image/webp", restored.ContentType);
        Assert.Equal((24, 16), Size(restored.Bytes));
        Assert.Equal(("fx-identity", ModelVariant.Baseline, ModelPrecision.Fp32, "cpu"), (restored.ModelId, restored.Variant, restored.Precision, restored.Provider));
        Assert.True(restored.ServerTiming["total"] > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_problem_answer_is_a_typed_exception_with_its_stable_code()
    {
        var problem = await Assert.ThrowsAsync<LiteRestoreProblemException>(() =>
            _client.DenoiseAsync(Photo(), new RestoreOptions { Variant = ModelVariant.Baseline, Precision = ModelPrecision.Int8 }));

        Assert.Equal((HttpStatusCode.NotFound, ErrorCodes.ModelNotFound), (problem.Status, problem.Code));
        Assert.Contains("not served in int8", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_runs_to_its_result_and_is_gone_once_deleted()
    {
        var submitted = await _client.SubmitJobAsync(RestorationTask.Denoise, Photo(), new RestoreOptions { Variant = ModelVariant.Baseline });

        var finished = await _client.WaitForJobAsync(submitted.Id, JobPoll);
        var result = await _client.GetJobResultAsync(submitted.Id);
        await _client.DeleteJobAsync(submitted.Id);

        Assert.Equal((JobState.Succeeded, "fx-identity", ModelPrecision.Fp32), (finished.State, finished.ModelId, finished.Precision));
        Assert.Equal((24, 16), Size(result));
        var gone = await Assert.ThrowsAsync<LiteRestoreProblemException>(() => _client.GetJobAsync(submitted.Id));
        Assert.Equal(ErrorCodes.JobNotFound, gone.Code);
    }

    [Fact]
    public async Task Models_are_listed_and_read_one_by_one_in_a_precision()
    {
        var models = await _client.ListModelsAsync();
        var upscaler = await _client.GetModelAsync("fx-sr-nearest", ModelPrecision.Fp32);

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
