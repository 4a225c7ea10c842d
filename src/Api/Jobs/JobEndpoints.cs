using System.ComponentModel;
using LiteRestore.Api.Endpoints;
using LiteRestore.Api.OpenApi;
using LiteRestore.Api.Problems;
using LiteRestore.Api.RateLimiting;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// The asynchronous job API, for images too large to wait for: POST /v1/jobs/{task} answers 202 with the job's
/// <c>Location</c>; GET /v1/jobs/{id} gives its state and progress, GET /v1/jobs/{id}/result its image, and DELETE
/// cancels and deletes it.
/// </summary>
internal static class JobEndpoints
{
    public const string Route = "/v1/jobs";

    private const string CreateDescription =
        "Takes the same uploads and query as the synchronous endpoint of the task, of any size within the image limits, and " +
        "answers 202 at once with the job's status and its `Location`. The job runs whether or not the client stays; poll " +
        "the location for progress (tiles done of total, ETA), then GET its `resultUrl`. Jobs and their results are deleted " +
        "when they expire.";

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route)
            .WithTags("Jobs")
            .RequireRateLimiting(ClientRateLimitPolicy.Name);
        group.WithRequestTimeout(RestorationDeadline.PolicyName);
        MapCreateEndpoints(group);

        group.MapGet("/{id}", Get)
            .WithName("GetJob")
            .WithSummary("Describe a job: its state, progress and result.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id}/result", GetResult)
            .WithName("GetJobResult")
            .WithSummary("Download the restored image of a job that has succeeded.")
            .WithDescription(
                "409 `job_not_finished` (with `Retry-After`) while the job runs; a job that failed answers the problem it failed with.")
            .Produces(StatusCodes.Status200OK, contentType: ImageMediaTypes.All[0], additionalContentTypes: [.. ImageMediaTypes.All.Skip(1)])
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", Delete)
            .WithName("DeleteJob")
            .WithSummary("Cancel a job if it runs, and delete it with its result.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    /// <summary>POST /v1/jobs/{task}: one endpoint per task, taking the upload its synchronous twin takes.</summary>
    private static void MapCreateEndpoints(RouteGroupBuilder group)
    {
        group.MapPost("/denoise", CreateDenoise)
            .WithName("CreateDenoiseJob")
            .WithSummary("Start denoising a photograph in the background.")
            .WithDescription(CreateDescription)
            .CreatesJob(RestorationTask.Denoise);

        group.MapPost("/super-resolve", CreateSuperResolve)
            .WithName("CreateSuperResolveJob")
            .WithSummary("Start enlarging a photograph 4x in the background.")
            .WithDescription(CreateDescription)
            .CreatesJob(RestorationTask.SuperResolve);

        group.MapPost("/inpaint", CreateInpaint)
            .WithName("CreateInpaintJob")
            .WithSummary("Start filling the holes of a photograph in the background.")
            .WithDescription(CreateDescription)
            .CreatesJob(RestorationTask.Inpaint)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static RouteHandlerBuilder CreatesJob(this RouteHandlerBuilder endpoint, RestorationTask task) => endpoint
        .ReadsImageUpload(task)
        .Produces<JobStatus>(StatusCodes.Status202Accepted)
        .CountsRequestOutcomes(successEndsRequest: false);

    private static Task<Accepted<JobStatus>> CreateDenoise(
        [AsParameters] RestorationQuery query, HttpContext context, JobLauncher launcher) =>
        launcher.CreateAsync(new RestorationRequest(RestorationTask.Denoise, query), context);

    private static Task<Accepted<JobStatus>> CreateSuperResolve(
        [AsParameters] RestorationQuery query, [FromQuery, Description("Enlargement factor; only 4 is offered.")] int? scale,
        HttpContext context, JobLauncher launcher) =>
        launcher.CreateAsync(new RestorationRequest(RestorationTask.SuperResolve, query, scale), context);

    private static Task<Accepted<JobStatus>> CreateInpaint(
        [AsParameters] RestorationQuery query, HttpContext context, JobLauncher launcher) =>
        launcher.CreateAsync(new RestorationRequest(RestorationTask.Inpaint, query), context);

    private static Results<Ok<JobStatus>, ProblemHttpResult> Get(string id, JobStore store) =>
        store.Find(id) is { } job ? TypedResults.Ok(job.Status(ResultUrl(job))) : NotFound(id);

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> GetResult(string id, JobStore store, HttpResponse response)
    {
        if (store.Find(id) is not { } job)
        {
            return NotFound(id);
        }

        if (job.Error is { } error)
        {
            return ApiProblems.Create(error.Code, error.Detail);
        }

        if (job.Result is not { } result)
        {
            ApiProblems.SetRetryAfter(response, TimeSpan.FromSeconds(job.EtaSeconds ?? 0));
            return ApiProblems.Create(ErrorCodes.JobNotFinished, $"Job '{id}' is {WireNames.Of(job.State)}; GET {Route}/{id} shows its progress.");
        }

        return TypedResults.PhysicalFile(result.Path, ImageMediaTypes.ByFormat[job.Target.Settings.Format]);
    }

    private static Results<NoContent, ProblemHttpResult> Delete(string id, JobStore store) =>
        store.Delete(id) ? TypedResults.NoContent() : NotFound(id);

    public static string ResultUrl(Job job) => $"{Route}/{job.Id}/result";

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Create(ErrorCodes.JobNotFound, $"There is no job '{id}': it was deleted, it expired, or it never existed.");
}
