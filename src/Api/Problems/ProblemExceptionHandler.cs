using LiteRestore.Api.Endpoints;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Diagnostics;

namespace LiteRestore.Api.Problems;

/// <summary>
/// The one place where a failure becomes an answer: the engine's and the HTTP layer's coded failures become their
/// problem (with <c>Retry-After</c> where retrying can succeed), and so do the framework's own rejections (parameter
/// binding, body size, malformed framing). A passed deadline is answered by the request-timeout policy before it gets
/// here (see <see cref="RestorationDeadline"/>); any other cancellation means the client went away.
/// </summary>
internal sealed class ProblemExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case RestorationException failure:
                if (failure.RetryAfter is { } retryAfter)
                {
                    ApiProblems.SetRetryAfter(httpContext.Response, retryAfter);
                }

                await ApiProblems.Create(failure.Code, failure.Message).ExecuteAsync(httpContext);
                return true;
            case BadHttpRequestException badRequest:
                await ApiProblems.Create(ApiProblems.CodeForStatus(badRequest.StatusCode), badRequest.Message).ExecuteAsync(httpContext);
                return true;
            case OperationCanceledException when !RestorationDeadline.HasPassed(httpContext):
                // The connection may not have reported the client's leaving yet: nobody reads this status but the
                // proxies that log it.
                httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
                httpContext.Abort();
                return true;
            default:
                return false;
        }
    }
}
