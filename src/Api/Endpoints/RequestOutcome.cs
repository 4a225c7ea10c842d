using LiteRestore.Inference;

namespace LiteRestore.Api.Endpoints;

/// <summary>What a request's outcome is counted under: when it started, and its model once that is resolved.</summary>
internal sealed class RequestOutcome(long started)
{
    public long Started { get; } = started;

    public ModelKey? Model { get; set; }
}
