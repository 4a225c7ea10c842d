namespace LiteRestore.LoadTest.Load;

/// <summary>
/// What one request came to. <see cref="LatencyMs"/> runs from the moment the request was due (closed model: when it
/// was sent; open model: its slot in the arrival schedule) to the last byte of the answer.
/// </summary>
internal sealed record RequestSample(
    double LatencyMs,
    string? Error,
    double Megapixels,
    IReadOnlyDictionary<string, double> ServerTimingMs,
    string? ModelId,
    string? Provider)
{
    public bool Succeeded => Error is null;
}
