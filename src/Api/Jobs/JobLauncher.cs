using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// Creates a job from an upload: resolves the model, takes a place in the store, checks the image's header against
/// the limits (so that a bad upload answers its 4xx now, not as a failed job), keeps the upload in the job's folder,
/// and hands the job to the <see cref="JobRunner"/>, which decodes it once the memory budget has room.
/// </summary>
internal sealed class JobLauncher(RestorationService restorations, UploadReader uploads, JobStore store, JobRunner runner)
{
    public async Task<Accepted<JobStatus>> CreateAsync(RestorationRequest request, HttpContext context)
    {
        var target = restorations.Resolve(request, context.Request);
        var job = store.Create(target);
        try
        {
            var kept = await uploads.WithBodyAsync(context.Request, target.Task, async upload =>
            {
                await uploads.InspectAsync(upload, target.Purpose(maxPixels: null), context.RequestAborted);
                return await store.KeepUploadAsync(job, upload, context.RequestAborted);
            }, context.RequestAborted);
            runner.Start(job, kept);
        }
        catch
        {
            store.Delete(job.Id);
            throw;
        }

        return TypedResults.Accepted($"{JobEndpoints.Route}/{job.Id}", job.Status(JobEndpoints.ResultUrl(job)));
    }
}
