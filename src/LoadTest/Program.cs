using LiteRestore.LoadTest.Cli;

namespace LiteRestore.LoadTest;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new LoadTestCommand(url => new HttpClient { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan })
            .Root.Parse(args).InvokeAsync();
}
