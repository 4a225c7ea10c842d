using System.Diagnostics;
using LiteRestore.Api.Endpoints;
using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Api.Telemetry;

/// <summary>
/// Counts each restoration request once its model is known, by how it ended: success, the code of its failure, a
/// timeout, or cancelled when its client went away. A request that starts a job ends in success only when the job does
/// (the job runner counts that), so here it is counted only when it fails.
/// </summary>
internal sealed class RequestOutcomeFilter(IRestorationTelemetry telemetry, bool successEndsRequest) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var outcome = new RequestOutcome(Stopwatch.GetTimestamp());
        http.Features.Set(outcome);
        try
        {
            var result = await next(context);
            if (successEndsRequest)
            {
                Record(outcome, TelemetryNames.Outcomes.Success);
            }

            return result;
        }
        catch (Exception e)
        {
            Record(outcome, OutcomeOf(e, http));
            throw;
        }
    }

    private static string OutcomeOf(Exception e, HttpContext http) => e switch
    {
        RestorationException failure => failure.Code,
        BadHttpRequestException badRequest => ApiProblems.CodeForStatus(badRequest.StatusCode),
        OperationCanceledException when RestorationDeadline.HasPassed(http) => ErrorCodes.Timeout,
        OperationCanceledException => TelemetryNames.Outcomes.Cancelled,
        _ => TelemetryNames.Outcomes.Error,
    };

    private void Record(RequestOutcome outcome, string name)
    {
        if (outcome.Model is { } model)
        {
            telemetry.RecordRequest(model, name, Stopwatch.GetElapsedTime(outcome.Started));
        }
    }
}
