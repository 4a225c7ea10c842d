using Microsoft.Extensions.Logging;

namespace LiteRestore.Inference.Tests.Infrastructure;

/// <summary>A logger of one category that adds every entry to the list its <see cref="RecordingLoggers"/> keeps.</summary>
internal sealed class RecordingLogger(List<(LogLevel Level, string Message)> entries) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
