using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiteRestore.Api.Endpoints;

/// <summary>Liveness and readiness probes, and <c>/</c> leading to Swagger UI where it is served without the playground.</summary>
internal static class HealthEndpoints
{
    private static readonly ProbeStatus Passing = new("ok");

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string? rootRedirect)
    {
        var group = endpoints.MapGroup("/").WithTags("Health");

        group.MapGet("/healthz", Live)
            .WithName("Liveness")
            .WithSummary("Liveness probe.")
            .WithDescription("200 while the process serves HTTP.");

        group.MapGet("/readyz", Ready)
            .WithName("Readiness")
            .WithSummary("Readiness probe.")
            .WithDescription("200 once every model found is loaded and warmed up (with Inference:RequireEveryModelForReadiness=false, once " +
                "loading has finished and at least one serves); 503 (model_not_ready) until then, and while any model is broken.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        if (rootRedirect is not null)
        {
            group.MapGet("/", () => TypedResults.Redirect(rootRedirect)).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static Ok<ProbeStatus> Live() => TypedResults.Ok(Passing);

    private static Results<Ok<ProbeStatus>, ProblemHttpResult> Ready(IRestorationEngine engine)
    {
        if (engine.IsReady)
        {
            return TypedResults.Ok(Passing);
        }

        var models = engine.GetModels();
        var loading = models.Where(model => model.Availability == ModelAvailability.Loading).Select(model => model.Id).ToList();
        var broken = models.Where(model => model.Availability == ModelAvailability.Unavailable).Select(model => model.Id).ToList();
        return ApiProblems.Create(ErrorCodes.ModelNotReady, (loading.Count, broken.Count, models.Count) switch
        {
            ( > 0, _, _) => $"Still loading or warming up: {string.Join(", ", loading)}.",
            (_, > 0, _) => $"Cannot be served: {string.Join(", ", broken)} (GET /v1/models gives each one's reason).",
            _ => "No model is installed.",
        });
    }
}
