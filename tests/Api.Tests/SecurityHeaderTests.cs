using System.Net;
using LiteRestore.Api.Tests.Infrastructure;

namespace LiteRestore.Api.Tests;

/// <summary>Every answer, success or problem, carries the headers that keep browsers from misreading or framing it.</summary>
public sealed class SecurityHeaderTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/swagger/index.html", HttpStatusCode.OK)]
    [InlineData("/v1/nothing-here", HttpStatusCode.NotFound)]
    public async Task EveryAnswerForbidsSniffingAndFramingAndHasAContentSecurityPolicy(string path, HttpStatusCode status)
    {
        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedUploadCarriesThemToo()
    {
        using var response = await client.PostRawAsync("/v1/denoise", "not an image"u8.ToArray());

        Assert.True((int)response.StatusCode is >= 400 and < 500);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
