using System.Diagnostics;

namespace LiteRestore.Tests.Shared;

/// <summary>
/// A cancellation that fires as soon as a batch carrying one trace's requests starts to run. A fixed delay instead
/// could fire, on a loaded machine, before the request has even reached the queue.
/// </summary>
internal sealed class CancelWhenBatched : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly BatchSpanWatcher _watcher;

    public CancelWhenBatched(ActivityTraceId trace) => _watcher = new BatchSpanWatcher(trace, started: _ => _source.CancelAsync());

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _watcher.Dispose();
        _source.Dispose();
    }
}
