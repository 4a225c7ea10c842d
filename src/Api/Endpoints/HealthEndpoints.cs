using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiteRestore.Api.Endpoints;

/// <summary>The answer of a passing probe.</summary>
internal sealed record ProbeStatus(string Status);

/// <summary>Liveness and readiness probes, and <c>/</c> leading to Swagger UI.</summary>
internal static class HealthEndpoints
{
    private static readonly ProbeStatus Passing = new("ok");

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string swaggerPath)
    {
        var group = endpoints.MapGroup("/").WithTags("Health");

        group.MapGet("/healthz", Live)
            .WithName("Liveness")
            .WithSummary("Liveness probe.")
            .WithDescription("200 while the process serves HTTP.");

        group.MapGet("/readyz", Ready)
            .WithName("Readiness")
            .WithSummary("Readiness probe.")
            .WithDescription("200 once every available model is loaded and warmed up; 503 (model_not_ready) until then.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapGet("/", () => TypedResults.Redirect(swaggerPath)).ExcludeFromDescription();

        return endpoints;
    }

    private static Ok<ProbeStatus> Live() => TypedResults.Ok(Passing);

    private static Results<Ok<ProbeStatus>, ProblemHttpResult> Ready(IRestorationEngine engine)
    {
        if (engine.IsReady)
        {
            return TypedResults.Ok(Passing);
        }

        var loading = engine.GetModels().Where(model => model.Availability == ModelAvailability.Loading).Select(model => model.Id).ToList();
        return ApiProblems.Create(ErrorCodes.ModelNotReady, loading.Count > 0
            ? $"Still loading or warming up: {string.Join(", ", loading)}."
            : "No model can be served: none is installed, or every one failed to load (GET /v1/models gives each one's reason).");
    }
}
