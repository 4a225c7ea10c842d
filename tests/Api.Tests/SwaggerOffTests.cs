using System.Net;
using LiteRestore.Api.Tests.Infrastructure;

namespace LiteRestore.Api.Tests;

/// <summary>The service with Swagger UI and the playground switched off, as a production may want it.</summary>
public sealed class SwaggerOffTests(SwaggerOffFactory factory) : IClassFixture<SwaggerOffFactory>
{
    [Theory]
    [InlineData("/swagger/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/")]
    [InlineData("/playground.js")]
    [InlineData("/samples/noisy.png")]
    public async Task SwaggerAndThePlaygroundCanBeSwitchedOff(string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
