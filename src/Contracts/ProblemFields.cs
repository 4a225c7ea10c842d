namespace LiteRestore.Contracts;

/// <summary>The members of a problem answer (RFC 9457) that clients read besides the standard ones.</summary>
public static class ProblemFields
{
    /// <summary>The stable code of what went wrong: one of <see cref="ErrorCodes"/>.</summary>
    public const string Code = "code";

    /// <summary>What went wrong, for a person (RFC 9457's own member).</summary>
    public const string Detail = "detail";

    /// <summary>The W3C trace id of the request, to find its trace and logs.</summary>
    public const string TraceId = "traceId";
}
