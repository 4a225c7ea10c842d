namespace LiteRestore.Contracts;

/// <summary>The headers a restoration answer carries, for the server that sets them and the clients that read them.</summary>
public static class ResponseHeaders
{
    public const string ModelId = "X-Model-Id";
    public const string ModelVariant = "X-Model-Variant";
    public const string ModelPrecision = "X-Model-Precision";
    public const string ExecutionProvider = "X-Execution-Provider";

    /// <summary>Milliseconds per span, <c>name;dur=12.5</c>, comma separated: decode, queue, infer, encode, total, batches.</summary>
    public const string ServerTiming = "Server-Timing";
}
