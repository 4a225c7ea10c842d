using System.CommandLine;
using LiteRestore.LoadTest.Cli;

namespace LiteRestore.LoadTest.Tests.Infrastructure;

/// <summary>Runs the load tester's whole command line against a client the test provides, into a temporary folder.</summary>
internal sealed class LoadTestCli(Func<HttpClient> createClient) : IDisposable
{
    public string OutputFolder { get; } = Directory.CreateTempSubdirectory("literestore-loadtest-").FullName;

    public async Task<(int ExitCode, string Console)> RunAsync(params string[] args)
    {
        using var console = new StringWriter();
        var command = new LoadTestCommand(_ => createClient());
        var exitCode = await command.Root
            .Parse([.. args, "--out", OutputFolder])
            .InvokeAsync(new InvocationConfiguration { Output = console, Error = console });
        return (exitCode, console.ToString());
    }

    public string PathOf(string file) => Path.Combine(OutputFolder, file);

    public void Dispose() => Directory.Delete(OutputFolder, recursive: true);
}
