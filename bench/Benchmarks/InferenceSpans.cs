using System.Diagnostics;
using LiteRestore.Contracts;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Listens to the engine's inference spans, which tracing records in the service as well, and credits each batch's
/// tiles to the window being measured.
/// </summary>
internal sealed class InferenceSpans : IDisposable
{
    private readonly ActivityListener listener;
    private volatile Window? recording;

    public InferenceSpans()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Credit,
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The window that batches are credited to; null between windows.</summary>
    public Window? Recording
    {
        set => recording = value;
    }

    public void Dispose() => listener.Dispose();

    private void Credit(Activity activity)
    {
        if (recording is { } window && activity.OperationName == TelemetryNames.Spans.Inference
                                    && activity.Status != ActivityStatusCode.Error
                                    && activity.GetTagItem(TelemetryNames.Spans.BatchTiles) is int tiles)
        {
            var end = Stopwatch.GetTimestamp();
            window.Credit(end - (long)(activity.Duration.TotalSeconds * Stopwatch.Frequency), end, tiles);
        }
    }
}
