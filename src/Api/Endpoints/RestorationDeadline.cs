using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.Http.Timeouts;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// The deadline of a whole restoration request (<see cref="Configuration.ApiOptions.RequestTimeout"/>), kept by ASP.NET
/// Core's request-timeout middleware: it cancels the request's token, which drops the request's queued tiles.
/// </summary>
internal static class RestorationDeadline
{
    public const string PolicyName = "restoration";

    public static RequestTimeoutPolicy Policy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = ApiProblems.StatusOf(ErrorCodes.Timeout),
        // Every passed deadline is answered here: the exception handler leaves it to this policy.
        WriteTimeoutResponse = context => ApiProblems.Create(ErrorCodes.Timeout, Detail(timeout)).ExecuteAsync(context),
    };

    /// <summary>Whether <paramref name="context"/>'s deadline, rather than its client, cancelled it.</summary>
    public static bool HasPassed(HttpContext context) =>
        context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;

    private static string Detail(TimeSpan timeout) =>
        $"The request did not finish within its deadline of {timeout.TotalSeconds:0.###} s; send a smaller image or retry when the service is less busy.";
}
