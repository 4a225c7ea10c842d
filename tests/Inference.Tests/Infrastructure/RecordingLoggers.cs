using Microsoft.Extensions.Logging;

namespace LiteRestore.Inference.Tests.Infrastructure;

/// <summary>Keeps every entry logged to any of its loggers, for tests of what an operator sees.</summary>
internal sealed class RecordingLoggers : ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Entries are recorded, not forwarded.");

    public void Dispose()
    {
    }
}
