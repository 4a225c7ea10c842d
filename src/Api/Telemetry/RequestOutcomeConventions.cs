using LiteRestore.Inference;

namespace LiteRestore.Api.Telemetry;

/// <summary>Puts a <see cref="RequestOutcomeFilter"/> on restoration endpoints.</summary>
internal static class RequestOutcomeConventions
{
    /// <summary>
    /// Counts the outcome of every request to these endpoints; <paramref name="successEndsRequest"/> is false where a
    /// successful answer only starts the work.
    /// </summary>
    public static TBuilder CountsRequestOutcomes<TBuilder>(this TBuilder builder, bool successEndsRequest = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new RequestOutcomeFilter(factory.ApplicationServices.GetRequiredService<IRestorationTelemetry>(), successEndsRequest);
            return invocation => filter.InvokeAsync(invocation, next);
        });
}
