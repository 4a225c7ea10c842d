using System.Net.Sockets;
using System.Text;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>Clients that leave in the middle of their upload, over a real socket.</summary>
public sealed class ClientAbortTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    private const int Aborts = 8;
    private static readonly TimeSpan ScrapeDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnUploadCutOffByItsClientCountsAsCancelledNotAsABadRequest()
    {
        for (var i = 0; i < Aborts; i++)
        {
            await SendHalfAndLeaveAsync("/v1/denoise?variant=baseline");
        }

        using var client = factory.CreateClient();
        var scrape = await client.ScrapeUntilAsync(text => Count(text, "literestore_requests_total{", "outcome=\"cancelled\"") >= Aborts, ScrapeDeadline);
        Assert.Equal(Aborts, Count(scrape, "literestore_requests_total{", "outcome=\"cancelled\""));
        Assert.Equal(0, Count(scrape, "literestore_client_errors_total{", $"reason=\"{ErrorCodes.RequestInvalid}\""));
    }

    /// <summary>Declares a 64 KB PNG body, sends 1 KB of it, and closes the connection.</summary>
    private async Task SendHalfAndLeaveAsync(string path)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(factory.Address.Host, factory.Address.Port);
        var head = $"POST {path} HTTP/1.1\r\nHost: {factory.Address.Authority}\r\nContent-Type: image/png\r\nContent-Length: 65536\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        await socket.SendAsync(new byte[1024]);
        socket.Shutdown(SocketShutdown.Both);
    }

    /// <summary>The sum of the samples of the series named <paramref name="series"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Count(string scrape, string series, string label) => scrape.Split('\n')
        .Where(line => line.StartsWith(series, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
