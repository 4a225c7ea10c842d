using LiteRestore.Api.Problems;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LiteRestore.Api.OpenApi;

/// <summary>
/// Says, on every problem response an operation declares, which stable codes that status carries, and declares
/// <c>Retry-After</c> where the service sends it: on 429, 503 and 409 (a job not finished yet).
/// </summary>
internal sealed class ProblemResponsesOperationFilter : IOperationFilter
{
    private static readonly HashSet<int> RetryAfterStatuses =
        [StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var (key, response) in operation.Responses ?? [])
        {
            if (!int.TryParse(key, out var status) || status < StatusCodes.Status400BadRequest || response is not OpenApiResponse problem)
            {
                continue;
            }

            var codes = ApiProblems.CodesOf(status).ToList();
            if (codes.Count > 0)
            {
                problem.Description = $"{problem.Description} Codes: {string.Join(", ", codes.Select(code => $"`{code}`"))}.".Trim();
            }

            if (RetryAfterStatuses.Contains(status))
            {
                problem.Headers ??= new Dictionary<string, IOpenApiHeader>();
                problem.Headers[HeaderNames.RetryAfter] = new OpenApiHeader
                {
                    Description = "Whole seconds to wait before trying again.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
            }
        }
    }
}
