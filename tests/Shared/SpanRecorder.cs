using System.Collections.Concurrent;
using System.Diagnostics;
using LiteRestore.Contracts;

namespace LiteRestore.Tests.Shared;

/// <summary>Records every span of the LiteRestore activity source that stops while it is alive.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentBag<Activity> Spans { get; } = [];

    public void Dispose() => listener.Dispose();
}
