using System.Diagnostics;
using LiteRestore.Contracts;

namespace LiteRestore.Tests.Shared;

/// <summary>
/// Calls back when the inference span of a batch that carries one trace's requests starts or stops. A batch serves
/// several requests, so its span links to their traces instead of having one parent.
/// </summary>
internal sealed class BatchSpanWatcher : IDisposable
{
    private readonly ActivityListener listener;

    public BatchSpanWatcher(ActivityTraceId trace, Action<Activity>? started = null, Action<Activity>? stopped = null)
    {
        bool Carries(Activity span) =>
            span.OperationName == TelemetryNames.Spans.Inference && span.Links.Any(link => link.Context.TraceId == trace);

        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = span =>
            {
                if (Carries(span))
                {
                    started?.Invoke(span);
                }
            },
            ActivityStopped = span =>
            {
                if (Carries(span))
                {
                    stopped?.Invoke(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();
}
