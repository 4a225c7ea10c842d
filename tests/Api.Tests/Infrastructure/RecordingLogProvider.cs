using Microsoft.Extensions.Logging;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>
/// Keeps every entry the service logs, after the service's own level filters (its <c>appsettings.json</c>): what an
/// operator's log receives.
/// </summary>
public sealed class RecordingLogProvider : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level)> entries = [];

    public IReadOnlyList<(string Category, LogLevel Level)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Recorder(string category, List<(string Category, LogLevel Level)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (entries)
            {
                entries.Add((category, logLevel));
            }
        }
    }
}
