using System.Net.Http.Headers;
using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Client;

/// <summary>A failed answer read as the problem it carries: its code and detail where it is a problem document, and its <c>Retry-After</c>.</summary>
internal static class ProblemAnswer
{
    public static async Task<LiteRestoreProblemException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, detail = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(
                    await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code = Text(document.RootElement, ProblemFields.Code);
                    detail = Text(document.RootElement, ProblemFields.Detail);
                }
            }
            catch (JsonException)
            {
                // a problem document that is no JSON still has its status
            }
        }

        return new LiteRestoreProblemException(response.StatusCode, code, detail, RetryAfter(response.Headers.RetryAfter));
    }

    private static string? Text(JsonElement problem, string property) =>
        problem.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };
}
