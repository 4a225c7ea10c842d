using System.Net;
using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Tests;

/// <summary>Jobs that finish: the image larger than the synchronous limit is restored in the background and collected.</summary>
public sealed class JobTests(FixtureJobsFactory factory) : IClassFixture<FixtureJobsFactory>
{
    private static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(30);

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnImagePastTheSynchronousLimitIsPointedToTheJobApi()
    {
        using var response = await client.PostRawAsync("/v1/denoise?variant=baseline", TestImages.Png(TestImages.Gradient(40, 30)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.ImageTooLarge);
        Assert.Contains("POST /v1/jobs/denoise", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobRestoresALargeImageAndItsResultCanBeCollectedUntilItIsDeleted()
    {
        using var input = TestImages.Gradient(40, 30);

        using var created = await client.PostRawAsync("/v1/jobs/denoise?variant=baseline", TestImages.Png(input));

        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        var status = await WaitForAsync(location, JobState.Succeeded);
        Assert.Equal(RestorationTask.Denoise, status.Task);
        Assert.True(status.TilesTotal > 0);
        Assert.Equal(status.TilesTotal, status.TilesDone);
        using var result = await client.GetAsync(status.ResultUrl);
        Assert.Equal("image/png", result.Content.Headers.ContentType?.MediaType);
        using var restored = await result.ReadImageAsync();
        Assert.Equal(RgbOf(input), RgbOf(restored));  // fx-identity gives the image back

        using var deleted = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(factory.ResultsFolder));
        using var gone = await client.GetAsync(status.ResultUrl);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.JobNotFound);
    }

    [Fact]
    public async Task AJobThatFailsAnswersItsProblemInPlaceOfTheResult()
    {
        using var mask = new Image<Rgb24>(40, 30, new Rgb24(255, 255, 255));

        using var created = await client.PostFormAsync("/v1/jobs/inpaint?variant=baseline", TestImages.Png(TestImages.Gradient(40, 30)), TestImages.Png(mask));

        var status = await WaitForAsync(created.Headers.Location!.ToString(), JobState.Failed);
        Assert.Equal(ErrorCodes.HoleCoversImage, status.ErrorCode);
        using var result = await client.GetAsync(status.ResultUrl ?? $"{created.Headers.Location}/result");
        await result.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ErrorCodes.HoleCoversImage);
        await client.DeleteAsync(created.Headers.Location);
    }

    private static List<(byte R, byte G, byte B)> RgbOf<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var rgb = image.CloneAs<Rgb24>();
        var pixels = new List<(byte, byte, byte)>();
        rgb.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var pixel in rows.GetRowSpan(y))
                {
                    pixels.Add((pixel.R, pixel.G, pixel.B));
                }
            }
        });
        return pixels;
    }

    private async Task<JobStatus> WaitForAsync(string location, JobState state)
    {
        var status = await Eventually.ReadAsync(async () => (await client.GetFromJsonAsync<JobStatus>(location))!, current => current.State == state, JobDeadline);
        Assert.Equal(state, status.State);
        return status;
    }
}
