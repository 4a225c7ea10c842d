using Microsoft.AspNetCore.Diagnostics;

namespace LiteRestore.Api.Problems;

/// <summary>
/// Answers the framework's own rejections of a request (parameter binding, body size, malformed framing) with a
/// coded problem instead of a bare status or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        await ApiProblems.Create(ApiProblems.CodeForStatus(badRequest.StatusCode), badRequest.Message).ExecuteAsync(httpContext);
        return true;
    }
}
