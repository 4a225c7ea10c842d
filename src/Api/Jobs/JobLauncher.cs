using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// Creates a job from an upload: resolves the model, takes a place in the store before any pixel is decoded, reads
/// the upload (which reserves its memory), and hands both to the <see cref="JobRunner"/>.
/// </summary>
internal sealed class JobLauncher(RestorationPipeline pipeline, UploadReader uploads, JobStore store, JobRunner runner)
{
    public Task<Results<Accepted<JobStatus>, ProblemHttpResult>> CreateAsync(RestorationRequest request, HttpContext context) =>
        pipeline.AnswerAsync(context, async outcome =>
        {
            var target = pipeline.Resolve(request, context.Request);
            outcome.ModelId = target.ModelId;
            var job = store.Create(target);
            Upload upload;
            try
            {
                upload = await uploads.ReadAsync(context.Request, target.Purpose(maxPixels: null), context.RequestAborted);
            }
            catch
            {
                store.Delete(job.Id);
                throw;
            }

            runner.Start(job, upload);
            return TypedResults.Accepted($"{JobEndpoints.Route}/{job.Id}", job.Status(JobEndpoints.ResultUrl(job)));
        }, context.RequestAborted);
}
