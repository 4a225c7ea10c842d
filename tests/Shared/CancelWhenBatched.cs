using System.Diagnostics;

namespace LiteRestore.Tests.Shared;

/// <summary>
/// A cancellation that fires as soon as a batch carrying one trace's requests starts to run. A fixed delay instead
/// could fire, on a loaded machine, before the request has even reached the queue.
/// </summary>
internal sealed class CancelWhenBatched : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly BatchSpanWatcher watcher;

    public CancelWhenBatched(ActivityTraceId trace) => watcher = new BatchSpanWatcher(trace, started: _ => source.CancelAsync());

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        watcher.Dispose();
        source.Dispose();
    }
}
