using System.Diagnostics;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using LiteRestore.Inference.Admission;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// Runs jobs in the background, detached from the request that created them: a client that goes away does not stop
/// its job. A job waits for what it needs instead of failing: for room in the memory budget before its upload is
/// decoded, then for room in the model's queue, each as long as the refusal's <c>Retry-After</c> says, until it is
/// admitted or expires.
/// </summary>
internal sealed partial class JobRunner(
    RestorationService restorations, UploadReader uploads, IRestorationTelemetry telemetry, JobStore store, TimeProvider clock, ILogger<JobRunner> logger)
{
    /// <summary>Shortest wait before a job asks again, whatever a refusal's <c>Retry-After</c> says.</summary>
    private static readonly TimeSpan LeastRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts <paramref name="job"/> on the upload kept in its folder.</summary>
    public void Start(Job job, UploadSource upload) => _ = Task.Run(() => RunAsync(job, upload));

    private async Task RunAsync(Job job, UploadSource source)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellation = job.Cancellation.Token;
        try
        {
            using var upload = await WhenAdmittedAsync(() => uploads.DecodeAsync(source, job.Target.Purpose(maxPixels: null), cancellation), cancellation);
            store.DropUpload(job);
            var output = await WhenAdmittedAsync(() => restorations.RestoreAsync(job.Target, upload, job, background: true, cancellation), cancellation);
            await store.StoreResultAsync(job, output.Bytes, cancellation);
            telemetry.RecordRequest(job.Target.Model, TelemetryNames.Outcomes.Success, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            // Deleted, or expired, with its folder: nobody waits for it any more.
            telemetry.RecordRequest(job.Target.Model, TelemetryNames.Outcomes.Cancelled, Stopwatch.GetElapsedTime(started));
        }
        catch (RestorationException e)
        {
            job.Fail(e.Code, e.Message);
            telemetry.RecordRequest(job.Target.Model, e.Code, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            LogJobFailed(logger, e, job.Id);
            job.Fail(ErrorCodes.InternalError, "The restoration failed unexpectedly; retry.");
            telemetry.RecordRequest(job.Target.Model, TelemetryNames.Outcomes.Error, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Runs <paramref name="step"/> until the memory budget and the queue let it through.</summary>
    private async Task<T> WhenAdmittedAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await step();
            }
            catch (RestorationException e) when (e is QueueFullException or MemoryBudgetFullException)
            {
                var wait = e.RetryAfter ?? LeastRetryDelay;
                await Task.Delay(wait > LeastRetryDelay ? wait : LeastRetryDelay, clock, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId);
}
