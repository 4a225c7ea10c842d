using LiteRestore.Api.Tests.Infrastructure;

namespace LiteRestore.Api.Tests;

/// <summary>
/// Several services in one process, as the tests run them: each scrape counts its own service's requests only, or
/// every assertion on a counter would depend on which other tests ran beside it.
/// </summary>
public sealed class MetricIsolationTests
{
    private const string RequestSeries = "literestore_requests_total{";

    [Fact]
    public async Task EachServiceInAProcessScrapesOnlyItsOwnRequests()
    {
        await using var asked = new FixtureModelsFactory();
        await using var other = new FixtureModelsFactory();
        await ((IAsyncLifetime)asked).InitializeAsync();
        await ((IAsyncLifetime)other).InitializeAsync();
        using var client = asked.CreateClient();
        using var otherClient = other.CreateClient();

        using var response = await client.PostRawAsync("/v1/denoise?variant=baseline", [1, 2, 3], "text/plain");
        var own = await client.ScrapeUntilAsync(text => text.Contains(RequestSeries, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var others = await otherClient.GetStringAsync("/metrics");

        Assert.Contains(own.Split('\n'), line => line.StartsWith(RequestSeries, StringComparison.Ordinal));
        Assert.DoesNotContain(others.Split('\n'), line => line.StartsWith(RequestSeries, StringComparison.Ordinal));
    }
}
