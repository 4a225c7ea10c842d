using System.Text.Json.Nodes;
using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LiteRestore.Api.OpenApi;

/// <summary>
/// Gives the problem-details schema the two members every answer of this service carries besides RFC 9457's own: the
/// stable <c>code</c>, an enum of <see cref="ApiProblems.Codes"/>, and the <c>traceId</c> that finds its trace.
/// </summary>
internal sealed class ProblemSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(ProblemDetails) || schema is not OpenApiSchema problem)
        {
            return;
        }

        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties[ProblemFields.Code] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "What went wrong, stable across releases: clients branch on it rather than on the title or detail.",
            Enum = [.. ApiProblems.Codes.Select(code => (JsonNode)JsonValue.Create(code))],
        };
        problem.Properties[ProblemFields.TraceId] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The W3C trace id of the request, to find its spans and logs.",
        };
    }
}
