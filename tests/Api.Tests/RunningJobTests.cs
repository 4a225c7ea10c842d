using System.Net;
using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>Jobs on a model that never finishes: what a client sees while one runs, and how one ends without finishing.</summary>
public sealed class RunningJobTests(EndlessJobsFactory factory) : IClassFixture<EndlessJobsFactory>
{
    private const string Endless = "/v1/jobs/denoise?variant=experimental";
    private static readonly TimeSpan ScrapeDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryTick = TimeSpan.FromSeconds(1);

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ARunningJobShowsItsProgressAndItsResultIsNotThereYet()
    {
        var location = await CreateAsync();

        var status = (await client.GetFromJsonAsync<JobStatus>(location))!;
        Assert.Equal(JobState.Queued, status.State);
        Assert.Null(status.ResultUrl);
        Assert.Equal(status.Created + JobsFactory.TimeToLive, status.Expires);
        using var result = await client.GetAsync($"{location}/result");
        await result.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.JobNotFinished);
        Assert.NotNull(result.Headers.RetryAfter);
        static bool OneQueued(string line) => line.StartsWith("literestore_jobs{", StringComparison.Ordinal)
            && line.Contains("state=\"queued\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal);
        var scrape = await client.ScrapeUntilAsync(text => text.Split('\n').Any(OneQueued), ScrapeDeadline);
        Assert.Contains(scrape.Split('\n'), OneQueued);

        await DeleteAsync(location);
    }

    [Fact]
    public async Task DeletingARunningJobCancelsIt()
    {
        var location = await CreateAsync();

        await DeleteAsync(location);

        using var gone = await client.GetAsync(location);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.JobNotFound);
        Assert.Equal(0, await QueueDepthOnceDrainedAsync());
    }

    [Fact]
    public async Task AJobPastItsTimeToLiveIsCancelledAndDeleted()
    {
        var location = await CreateAsync();

        factory.Clock.Advance(JobsFactory.TimeToLive);

        using var gone = await client.GetAsync(location);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.JobNotFound);
    }

    [Fact]
    public async Task TheJobStoreHoldsABoundedNumberOfJobs()
    {
        var created = new List<string>();
        for (var i = 0; i < JobsFactory.MaxJobs; i++)
        {
            created.Add(await CreateAsync());
        }

        using var refused = await client.PostRawAsync(Endless, TestImages.Png(TestImages.Gradient(8, 8)));

        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.Overloaded);
        Assert.NotNull(refused.Headers.RetryAfter);
        foreach (var location in created)
        {
            await DeleteAsync(location);
        }
    }

    [Fact]
    public async Task AJobWaitsForRoomInTheMemoryBudgetInsteadOfBeingTurnedAway()
    {
        // 256² takes more than the whole 1 MB budget: one is admitted while nothing else holds any.
        var holding = await CreateAsync(side: 256);
        Assert.True((await StatusOnceAsync(holding, status => status.TilesTotal > 0)).TilesTotal > 0);

        var waiting = await CreateAsync(side: 256);

        Assert.Equal(0, (await client.GetFromJsonAsync<JobStatus>(waiting))!.TilesTotal);
        await DeleteAsync(holding);
        Assert.True((await StatusOnceAsync(waiting, status => status.TilesTotal > 0, tick: RetryTick)).TilesTotal > 0);
        await DeleteAsync(waiting);
    }

    /// <summary>
    /// The job's status once <paramref name="holds"/> is true of it, or when <see cref="ScrapeDeadline"/> has passed;
    /// the service's clock moves <paramref name="tick"/> between looks, so that a job waiting to retry does.
    /// </summary>
    private Task<JobStatus> StatusOnceAsync(string location, Func<JobStatus, bool> holds, TimeSpan tick = default) =>
        Eventually.ReadAsync(async () => (await client.GetFromJsonAsync<JobStatus>(location))!, holds, ScrapeDeadline, () => factory.Clock.Advance(tick));

    private async Task<string> CreateAsync(int side = 8)
    {
        using var created = await client.PostRawAsync(Endless, TestImages.Png(TestImages.Gradient(side, side)));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        return created.Headers.Location!.ToString();
    }

    private async Task DeleteAsync(string location)
    {
        using var deleted = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    /// <summary>The tiles queued for every model, once they are none or <see cref="ScrapeDeadline"/> has passed.</summary>
    private Task<int> QueueDepthOnceDrainedAsync() => Eventually.ReadAsync(
        async () => (await client.GetFromJsonAsync<List<ModelStatus>>("/v1/models"))!.Sum(model => model.Stats?.QueueDepth ?? 0),
        depth => depth == 0, ScrapeDeadline);
}
