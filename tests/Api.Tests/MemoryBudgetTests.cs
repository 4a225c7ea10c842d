using System.Net;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.DependencyInjection;

namespace LiteRestore.Api.Tests;

/// <summary>Uploads are admitted against the process-wide memory budget before they are decoded.</summary>
public sealed class MemoryBudgetTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnUploadThatDoesNotFitTheMemoryBudgetAnswers429WithRetryAfterAndFitsOnceMemoryIsFree()
    {
        var budget = factory.Services.GetRequiredService<WorkingMemoryBudget>();
        var image = TestImages.Png(TestImages.Gradient(32, 32));

        using (budget.Reserve(budget.Capacity))
        {
            using var rejected = await client.PostRawAsync("/v1/denoise", image);

            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.Overloaded);
            Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }

        using var served = await client.PostRawAsync("/v1/denoise", image);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(0, budget.Reserved);
    }
}
