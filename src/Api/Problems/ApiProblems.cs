using System.Globalization;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LiteRestore.Api.Problems;

/// <summary>The one place that turns an <see cref="ErrorCodes"/> value into an RFC 9457 answer.</summary>
internal static class ApiProblems
{
    private static readonly Dictionary<string, (int Status, string Title)> Kinds = new()
    {
        [ErrorCodes.ImageInvalid] = (StatusCodes.Status400BadRequest, "The image cannot be read."),
        [ErrorCodes.RequestInvalid] = (StatusCodes.Status400BadRequest, "The request is invalid."),
        [ErrorCodes.NotFound] = (StatusCodes.Status404NotFound, "No such resource."),
        [ErrorCodes.ModelNotFound] = (StatusCodes.Status404NotFound, "No such model."),
        [ErrorCodes.JobNotFound] = (StatusCodes.Status404NotFound, "No such job."),
        [ErrorCodes.JobNotFinished] = (StatusCodes.Status409Conflict, "The job has not finished."),
        [ErrorCodes.UploadTooSlow] = (StatusCodes.Status408RequestTimeout, "The upload arrived too slowly."),
        [ErrorCodes.ImageTooLarge] = (StatusCodes.Status413PayloadTooLarge, "The upload is too large."),
        [ErrorCodes.MediaTypeUnsupported] = (StatusCodes.Status415UnsupportedMediaType, "The media type is not supported."),
        [ErrorCodes.MaskMismatch] = (StatusCodes.Status422UnprocessableEntity, "The mask does not fit the image."),
        [ErrorCodes.HoleCoversImage] = (StatusCodes.Status422UnprocessableEntity, "The hole covers the whole image."),
        [ErrorCodes.Overloaded] = (StatusCodes.Status429TooManyRequests, "The model is overloaded."),
        [ErrorCodes.RateLimited] = (StatusCodes.Status429TooManyRequests, "Too many requests from this client."),
        [ErrorCodes.InternalError] = (StatusCodes.Status500InternalServerError, "The restoration failed."),
        [ErrorCodes.ModelNotReady] = (StatusCodes.Status503ServiceUnavailable, "The model is not ready."),
        [ErrorCodes.Timeout] = (StatusCodes.Status504GatewayTimeout, "The restoration timed out."),
    };

    public static int StatusOf(string code) => Kinds[code].Status;

    /// <summary>Every stable code, in the order of their statuses.</summary>
    public static IEnumerable<string> Codes => Kinds.OrderBy(kind => kind.Value.Status).Select(kind => kind.Key);

    /// <summary>The codes a problem of <paramref name="status"/> can carry.</summary>
    public static IEnumerable<string> CodesOf(int status) => Kinds.Where(kind => kind.Value.Status == status).Select(kind => kind.Key);

    public static ProblemHttpResult Create(string code, string detail)
    {
        var (status, title) = Kinds[code];
        return TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: new Dictionary<string, object?> { [ProblemFields.Code] = code });
    }

    /// <summary>The code of an error the framework raised itself (binding, routing, body limits), from its status.</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status408RequestTimeout => ErrorCodes.UploadTooSlow,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.ImageTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.MediaTypeUnsupported,
        _ => ErrorCodes.RequestInvalid,
    };

    /// <summary>Sets <c>Retry-After</c> in whole seconds, rounded up so that a client never retries too early.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
    }
}
