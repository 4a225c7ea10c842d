using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LiteRestore.Contracts;

namespace LiteRestore.Client.Tests;

/// <summary>An answer that says when to come back is waited out and retried, only when the caller allows it.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task AnOverloadedAnswerIsRetriedAfterItsRetryAfterWhenRetriesAreAllowed()
    {
        var handler = new ScriptedHandler(Overloaded(TimeSpan.Zero), Models());
        var client = new LiteRestoreClient(new HttpClient(handler) { BaseAddress = new Uri("http://service") }, new LiteRestoreClientOptions { MaxAttempts = 2 });

        var models = await client.ListModelsAsync();

        Assert.Empty(models);
        Assert.Equal(2, handler.Sent);
    }

    [Fact]
    public async Task WithoutRetriesTheOverloadIsSurfacedWithItsRetryAfter()
    {
        var handler = new ScriptedHandler(Overloaded(TimeSpan.FromSeconds(3)), Models());
        var client = new LiteRestoreClient(new HttpClient(handler) { BaseAddress = new Uri("http://service") });

        var problem = await Assert.ThrowsAsync<LiteRestoreProblemException>(() => client.ListModelsAsync());

        Assert.Equal((ErrorCodes.Overloaded, TimeSpan.FromSeconds(3)), (problem.Code, problem.RetryAfter));
        Assert.Equal(1, handler.Sent);
    }

    [Fact]
    public async Task AWaitLongerThanTheClientAllowsIsSurfacedInsteadOfWaitedOut()
    {
        var handler = new ScriptedHandler(Overloaded(TimeSpan.FromMinutes(5)), Models());
        var client = new LiteRestoreClient(new HttpClient(handler) { BaseAddress = new Uri("http://service") }, new LiteRestoreClientOptions { MaxAttempts = 3 });

        await Assert.ThrowsAsync<LiteRestoreProblemException>(() => client.ListModelsAsync());

        Assert.Equal(1, handler.Sent);
    }

    private static HttpResponseMessage Overloaded(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent($$"""{"status": 429, "code": "{{ErrorCodes.Overloaded}}", "detail": "busy"}""", Encoding.UTF8, "application/problem+json"),
        };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    private static HttpResponseMessage Models() => new(HttpStatusCode.OK) { Content = new StringContent("[]", Encoding.UTF8, "application/json") };

    /// <summary>Answers each request with the next scripted response.</summary>
    private sealed class ScriptedHandler(params HttpResponseMessage[] responses) : HttpMessageHandler
    {
        public int Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(responses[Sent++]);
    }
}
