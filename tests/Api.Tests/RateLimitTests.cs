using System.Net;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task AClientPastItsBurstGets429WithRetryAfterWhileProbesAndModelsStillAnswer()
    {
        using var client = factory.CreateClient();
        var photo = TestImages.Png(TestImages.Gradient(16, 16));
        for (var i = 0; i < RateLimitedFactory.Burst; i++)
        {
            using var allowed = await client.PostRawAsync("/v1/denoise", photo);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await client.PostRawAsync("/v1/denoise", photo);

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }
}
