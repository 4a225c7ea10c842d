namespace LiteRestore.Inference;

/// <summary>
/// Records the timings that happen outside the engine (in the HTTP layer) on the LiteRestore meter, with the same
/// bounded tags (model, task, variant, provider, outcome) the engine uses.
/// </summary>
public interface IRestorationTelemetry
{
    void RecordDecode(TimeSpan elapsed);

    void RecordEncode(string modelId, TimeSpan elapsed);

    /// <summary>
    /// One finished request: <paramref name="outcome"/> is a <see cref="LiteRestore.Contracts.TelemetryNames.Outcomes"/>
    /// or an <see cref="LiteRestore.Contracts.ErrorCodes"/> value.
    /// </summary>
    void RecordRequest(string modelId, string outcome, TimeSpan elapsed);
}
