using System.ComponentModel;
using LiteRestore.Api.OpenApi;
using LiteRestore.Api.RateLimiting;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LiteRestore.Api.Endpoints;

/// <summary>POST /v1/denoise, /v1/super-resolve and /v1/inpaint: thin bindings onto <see cref="RestorationService"/>.</summary>
internal static class RestorationEndpoints
{
    private const string CommonDescription =
        "Send the photograph as multipart/form-data (file field `image`) or as a raw image/png, image/jpeg or image/webp body. " +
        "`variant` picks the network (default: lightweight) and `precision` its arithmetic (fp32 or int8, where the model offers it); the answer is encoded as `format`, else as the first image type " +
        "`Accept` allows, else PNG. Response headers: `Server-Timing` (decode, queue, infer, encode, total in ms), " +
        "`X-Model-Id`, `X-Model-Variant`, `X-Model-Precision`, `X-Execution-Provider`.";

    public static IEndpointRouteBuilder MapRestorationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1")
            .WithTags("Restoration")
            .RequireRateLimiting(ClientRateLimitPolicy.Name)
            .CountsRequestOutcomes();
        group.WithRequestTimeout(RestorationDeadline.PolicyName);

        group.MapPost("/denoise", Denoise)
            .WithName("Denoise")
            .WithSummary("Remove noise from a photograph.")
            .WithDescription("Blind colour denoising (Gaussian sigma up to 50). " + CommonDescription)
            .TakesImageUpload(RestorationTask.Denoise);

        group.MapPost("/super-resolve", SuperResolve)
            .WithName("SuperResolve")
            .WithSummary("Enlarge a photograph 4x.")
            .WithDescription("The answer is 4 times as wide and as high as the upload; `scale` may only be 4. " + CommonDescription)
            .TakesImageUpload(RestorationTask.SuperResolve);

        group.MapPost("/inpaint", Inpaint)
            .WithName("Inpaint")
            .WithSummary("Fill the holes of a photograph.")
            .WithDescription(
                "Mark the hole with a `mask` file field of the same size (white = hole), or send an image whose transparent " +
                "pixels mark it. Only hole pixels change; a hole must leave some pixels known. " + CommonDescription)
            .TakesImageUpload(RestorationTask.Inpaint)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return endpoints;
    }

    /// <summary>The upload, the image answer, and every problem the shared restoration path can answer.</summary>
    private static RouteHandlerBuilder TakesImageUpload(this RouteHandlerBuilder endpoint, RestorationTask task) => endpoint
        .ReadsImageUpload(task)
        .Produces(StatusCodes.Status200OK, contentType: ImageMediaTypes.All[0], additionalContentTypes: [.. ImageMediaTypes.All.Skip(1)])
        .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    private static Task<FileContentHttpResult> Denoise(
        [AsParameters] RestorationQuery query, HttpContext context, RestorationService restorations) =>
        restorations.RunAsync(new RestorationRequest(RestorationTask.Denoise, query), context, context.RequestAborted);

    private static Task<FileContentHttpResult> SuperResolve(
        [AsParameters] RestorationQuery query, [FromQuery, Description("Enlargement factor; only 4 is offered.")] int? scale, HttpContext context, RestorationService restorations) =>
        restorations.RunAsync(new RestorationRequest(RestorationTask.SuperResolve, query, scale), context, context.RequestAborted);

    private static Task<FileContentHttpResult> Inpaint(
        [AsParameters] RestorationQuery query, HttpContext context, RestorationService restorations) =>
        restorations.RunAsync(new RestorationRequest(RestorationTask.Inpaint, query), context, context.RequestAborted);
}
