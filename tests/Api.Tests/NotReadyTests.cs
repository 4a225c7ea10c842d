using System.Net;
using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>A service with no model to serve is alive but never ready.</summary>
public sealed class NotReadyTests(NoModelsFactory factory) : IClassFixture<NoModelsFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task ReadinessFailsWithAProblemWhileLivenessPasses()
    {
        using var ready = await client.GetAsync("/readyz");
        using var live = await client.GetAsync("/healthz");

        var problem = await ready.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.ModelNotReady);
        Assert.StartsWith("No model is installed", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task NoModelIsListedAndRestoringFindsNone()
    {
        Assert.Empty((await client.GetFromJsonAsync<ModelStatus[]>("/v1/models"))!);

        using var response = await client.PostRawAsync("/v1/denoise", TestImages.Png(TestImages.Gradient(8, 8)));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.ModelNotFound);
    }
}
