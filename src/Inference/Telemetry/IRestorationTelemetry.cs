namespace LiteRestore.Inference;

/// <summary>
/// Records the timings that happen outside the engine (in the HTTP layer) on the LiteRestore meter, with the same
/// bounded tags (model, task, variant, precision, provider, outcome) the engine uses.
/// </summary>
public interface IRestorationTelemetry
{
    void RecordDecode(TimeSpan elapsed);

    void RecordEncode(ModelKey model, TimeSpan elapsed);

    /// <summary>
    /// One finished request: <paramref name="outcome"/> is a <see cref="LiteRestore.Contracts.TelemetryNames.Outcomes"/>
    /// or an <see cref="LiteRestore.Contracts.ErrorCodes"/> value; <paramref name="model"/> is null where the request
    /// failed before its model was known.
    /// </summary>
    void RecordRequest(ModelKey? model, string outcome, TimeSpan elapsed);
}
