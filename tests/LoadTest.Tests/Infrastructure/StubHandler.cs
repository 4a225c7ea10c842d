namespace LiteRestore.LoadTest.Tests.Infrastructure;

/// <summary>Answers every request with what the test says, and keeps the requests (with their bodies read) for inspection.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public static readonly Uri BaseAddress = new("http://127.0.0.1:5000");

    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    public HttpClient CreateClient() => new(this, disposeHandler: false) { BaseAddress = BaseAddress };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        return await respond(request, cancellationToken);
    }
}
