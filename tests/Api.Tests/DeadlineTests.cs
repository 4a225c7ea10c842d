using System.Net;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Tests.Shared;

namespace LiteRestore.Api.Tests;

/// <summary>A request whose inference would run for minutes, behind a deadline of half a second.</summary>
public sealed class DeadlineTests(DeadlineFactory factory) : IClassFixture<DeadlineFactory>
{
    private static readonly TimeSpan ScrapeDeadline = TimeSpan.FromSeconds(10);

    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ARequestPastItsDeadlineAnswers504AndCountsAsATimeout()
    {
        using var response = await client.PostRawAsync("/v1/denoise?variant=experimental", TestImages.Png(TestImages.Gradient(8, 8)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.GatewayTimeout, ErrorCodes.Timeout);
        Assert.Contains("deadline of 0.5 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var scrape = await client.ScrapeUntilAsync(
            text => text.Contains("outcome=\"timeout\"", StringComparison.Ordinal), ScrapeDeadline);
        Assert.Contains(scrape.Split('\n'), line =>
            line.StartsWith("literestore_requests_total{", StringComparison.Ordinal) && line.Contains("outcome=\"timeout\"", StringComparison.Ordinal));
    }
}
