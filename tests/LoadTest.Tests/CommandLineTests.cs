using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

/// <summary>Runs that stop before any load is sent: wrong command lines, an unreachable service.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly LoadTestCli cli = new(() => throw new InvalidOperationException("No request may be sent."));

    public void Dispose() => cli.Dispose();

    [Theory]
    [InlineData("--concurrency", "1,2", "--rate", "5", "--concurrency and --rate cannot be used together.")]
    [InlineData("--sizes", "8x8", "--images", "a.png", "--images and --sizes cannot be used together.")]
    [InlineData("--concurrency", "1,0", "--duration", "1", "'0' is not a valid value for --concurrency.")]
    [InlineData("--sizes", "8by8", "--duration", "1", "'8by8' is not a valid value for --sizes.")]
    [InlineData("--max-error-rate", "1.5", "--duration", "1", "'1.5' is not valid for --max-error-rate: expected a number from 0 to 1.")]
    [InlineData("--variants", "heavy", "--duration", "1", "'heavy' is not a valid value for --variants.")]
    [InlineData("--probe-interval", "0.0005", "--duration", "1", "'0.0005' is not valid for --probe-interval: expected 0 or a number of seconds from 0.001.")]
    [InlineData("--probe-timeout", "0", "--duration", "1", "'0' is not valid for --probe-timeout: expected a number of seconds from 0.001.")]
    public async Task ContradictoryOrInvalidOptionsAreAUsageError(string option, string value, string other, string otherValue, string message)
    {
        var (exitCode, console) = await cli.RunAsync("--url", "http://127.0.0.1:5000", "--task", "denoise", option, value, other, otherValue);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServiceStopsTheRunWithAClearMessage()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5000)"));
        using var unreachable = new LoadTestCli(handler.CreateClient);

        var (exitCode, console) = await unreachable.RunAsync("--url", StubHandler.BaseAddress.ToString(), "--task", "denoise");

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("Cannot read /v1/models from http://127.0.0.1:5000/: Connection refused (127.0.0.1:5000)", console, StringComparison.Ordinal);
        Assert.Equal("/v1/models", Assert.Single(handler.Requests).Request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task AnImageFileThatCannotBeReadStopsTheRun()
    {
        var (exitCode, console) = await cli.RunAsync("--url", "http://127.0.0.1:5000", "--task", "denoise", "--images", "no-such-photo.png");

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("Cannot read the images:", console, StringComparison.Ordinal);
        Assert.Contains("no-such-photo.png", console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTaskMustBeOneTheServiceOffers()
    {
        var (exitCode, console) = await cli.RunAsync("--url", "http://127.0.0.1:5000", "--task", "deblur");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("'deblur' is not valid for --task: expected denoise, super-resolve, inpaint.", console, StringComparison.Ordinal);
    }
}
