using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LiteRestore.Api.Endpoints;

/// <summary>GET /v1/models and /v1/models/{id}: model cards with live statistics, memory and provider.</summary>
internal static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        const string Models = "/v1/models";
        var group = endpoints.MapGroup(Models).WithTags("Models");

        // Outside the group: a group's own root always gets a trailing slash (/v1/models/), in the route and so in the
        // http_route label of its metrics.
        endpoints.MapGet(Models, List)
            .WithTags("Models")
            .WithName("ListModels")
            .WithSummary("List the installed models.")
            .WithDescription(
                "Every model found under the models folder, with its card, availability (and why a model is unavailable), " +
                "the execution provider it runs on, measured memory, and latency percentiles over recent requests.");

        group.MapGet("/{id}", Get)
            .WithName("GetModel")
            .WithSummary("Describe one model.")
            .WithDescription("The card, availability, provider, memory and live statistics of the model with this id, in `precision` (default fp32).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return endpoints;
    }

    private static Ok<IReadOnlyList<ModelStatus>> List(IRestorationEngine engine) => TypedResults.Ok(engine.GetModels());

    private static Results<Ok<ModelStatus>, ProblemHttpResult> Get(
        string id, [FromQuery, Description("fp32 (the default) or int8, where the model offers it.")] string? precision, IRestorationEngine engine)
    {
        if (!TryParsePrecision(precision, out var parsed))
        {
            return ApiProblems.Create(ErrorCodes.RequestInvalid,
                $"'{precision}' is not a valid precision; use one of: {string.Join(", ", WireNames.All<ModelPrecision>())}.");
        }

        return engine.GetModel(new ModelKey(id, parsed)) is { } model
            ? TypedResults.Ok(model)
            : ApiProblems.Create(ErrorCodes.ModelNotFound, $"There is no model '{id}' in {WireNames.Of(parsed)}; GET /v1/models lists them.");
    }

    private static bool TryParsePrecision(string? text, out ModelPrecision precision)
    {
        precision = ModelPrecision.Fp32;
        return string.IsNullOrEmpty(text) || WireNames.TryParse(text, out precision);
    }
}
