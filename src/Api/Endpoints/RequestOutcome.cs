using LiteRestore.Inference;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// A request feature: when the request started, and its model once that is resolved, so that its outcome can be
/// counted under that model (see <see cref="Telemetry.RequestOutcomeFilter"/>).
/// </summary>
internal sealed class RequestOutcome(long started)
{
    public long Started { get; } = started;

    public ModelKey? Model { get; set; }
}
