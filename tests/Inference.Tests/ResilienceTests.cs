using System.Diagnostics;
using LiteRestore.Inference.Tests.Infrastructure;
using LiteRestore.Tests.Shared;

namespace LiteRestore.Inference.Tests;

/// <summary>fx-endless loops until ONNX Runtime is told to terminate, so these tests only pass when the native run is really stopped.</summary>
public sealed class ResilienceTests
{
    private static readonly TimeSpan CancelDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARunPastTheTimeoutIsTerminatedAndReportedAsATimeout()
    {
        using var engine = await TestEngines.StartEndlessAsync(o => o.InferenceTimeout = TimeSpan.FromMilliseconds(300));
        using var input = TestImages.Random(8, 8);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            var timeout = await Assert.ThrowsAsync<InferenceTimeoutException>(() => engine.RestoreAsync("fx-endless", input));
            Assert.Equal("timeout", timeout.Code);
            Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
        }

        Assert.Equal(2, engine.Status("fx-endless").Stats!.Failures);
    }

    [Fact]
    public async Task ABatchWhoseRequestsAreAllCancelledIsTerminated()
    {
        using var engine = await TestEngines.StartEndlessAsync(o => o.InferenceTimeout = TimeSpan.FromMinutes(10));
        using var input = TestImages.Random(8, 8);
        using var trace = new Activity("cancelled-batch").Start();
        using var cancel = new CancelWhenBatched(trace.TraceId);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => engine.RestoreAsync(new RestorationJob("fx-endless", input), cancel.Token).WaitAsync(CancelDeadline));

        await Poll.UntilAsync(() => engine.Status("fx-endless").Stats!.InferenceMs.Samples != 0, TimeSpan.FromSeconds(20));

        Assert.Equal(1, engine.Status("fx-endless").Stats!.InferenceMs.Samples);
        Assert.Equal(0, engine.Status("fx-endless").Stats!.Failures);
    }

    [Fact]
    public async Task ABatchKeepsRunningWhileOneOfItsRequestsIsNotCancelled()
    {
        using var engine = await TestEngines.StartEndlessAsync(o =>
        {
            o.InferenceTimeout = TimeSpan.FromSeconds(1.5);
            o.MaxBatchTiles = 2;
            o.MaxQueueDelay = TimeSpan.FromMilliseconds(300);
        });
        using var input = TestImages.Random(8, 8);
        using var trace = new Activity("half-cancelled-batch").Start();
        using var cancel = new CancelWhenBatched(trace.TraceId);
        var cancelled = engine.RestoreAsync(new RestorationJob("fx-endless", input), cancel.Token);
        var started = Stopwatch.GetTimestamp();
        var kept = engine.RestoreAsync(new RestorationJob("fx-endless", input), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(CancelDeadline));
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => kept);
        // Terminated at the cancellation it would end as soon as it began; the timeout timer ticks in whole
        // milliseconds, so it may fire a hair before 1.5 s by the stopwatch.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.4));
        Assert.Equal(2, engine.Status("fx-endless").Stats!.MeanBatchSize);
    }

    [Fact]
    public async Task WarmUpThatRunsPastTheTimeoutLeavesTheModelUnavailableWithAReason()
    {
        using var engine = await TestEngines.StartEndlessAsync(o =>
        {
            o.WarmUp = true;
            o.InferenceTimeout = TimeSpan.FromMilliseconds(200);
        });

        var status = engine.Status("fx-endless");

        Assert.Equal(Contracts.ModelAvailability.Unavailable, status.Availability);
        Assert.Contains("warm-up", status.Reason, StringComparison.Ordinal);
        Assert.False(engine.IsReady);
        await Assert.ThrowsAsync<ModelNotReadyException>(() => engine.RestoreAsync("fx-endless", TestImages.Random(8, 8)));
    }
}
