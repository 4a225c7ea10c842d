using System.Diagnostics;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// Runs jobs in the background, detached from the request that created them: a client that goes away does not stop
/// its job. A job the model's queue has no room for yet waits as long as the queue says, instead of failing, until it
/// is admitted or expires.
/// </summary>
internal sealed partial class JobRunner(RestorationPipeline pipeline, JobStore store, TimeProvider clock, ILogger<JobRunner> logger)
{
    /// <summary>Shortest wait before a job asks a full queue again, whatever its <c>Retry-After</c> says.</summary>
    private static readonly TimeSpan LeastRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts <paramref name="job"/> on <paramref name="upload"/>, which the job owns from now on.</summary>
    public void Start(Job job, Upload upload) => _ = Task.Run(() => RunAsync(job, upload));

    private async Task RunAsync(Job job, Upload upload)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellation = job.Cancellation.Token;
        using (upload)
        {
            try
            {
                var output = await RestoreWhenAdmittedAsync(job, upload, cancellation);
                await store.StoreAsync(job, output.Bytes, cancellation);
                pipeline.Record(job.Target.ModelId, TelemetryNames.Outcomes.Success, started);
            }
            catch (RestorationException e)
            {
                job.Fail(e.Code, e.Message);
                pipeline.Record(job.Target.ModelId, e.Code, started);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Deleted, or expired: nobody waits for it any more.
                pipeline.Record(job.Target.ModelId, TelemetryNames.Outcomes.Cancelled, started);
            }
            catch (Exception e)
            {
                LogJobFailed(logger, e, job.Id);
                job.Fail(ErrorCodes.InternalError, "The restoration failed unexpectedly; retry.");
                pipeline.Record(job.Target.ModelId, TelemetryNames.Outcomes.Error, started);
            }
        }
    }

    private async Task<RestorationOutput> RestoreWhenAdmittedAsync(Job job, Upload upload, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await pipeline.RestoreAsync(job.Target, upload, job, cancellationToken);
            }
            catch (QueueFullException e)
            {
                var wait = e.RetryAfter ?? LeastRetryDelay;
                await Task.Delay(wait > LeastRetryDelay ? wait : LeastRetryDelay, clock, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId);
}
