using System.Net;

namespace LiteRestore.Client;

/// <summary>
/// The service answered with a problem document (RFC 9457): <see cref="Code"/> is one of
/// <see cref="Contracts.ErrorCodes"/>, stable across versions; <see cref="RetryAfter"/> is set where retrying can succeed.
/// </summary>
public sealed class LiteRestoreProblemException : Exception
{
    /// <summary>The problem the service answered, with its status, code, detail and <c>Retry-After</c>.</summary>
    public LiteRestoreProblemException(HttpStatusCode status, string? code, string? detail, TimeSpan? retryAfter)
        : base($"{(int)status} {code ?? "(no code)"}: {detail ?? "(no detail)"}")
    {
        Status = status;
        Code = code;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>A problem without an answer behind it.</summary>
    public LiteRestoreProblemException()
    {
    }

    /// <summary>A problem without an answer behind it, described by <paramref name="message"/>.</summary>
    public LiteRestoreProblemException(string message)
        : base(message)
    {
    }

    /// <summary>A problem without an answer behind it, caused by <paramref name="innerException"/>.</summary>
    public LiteRestoreProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The answer's status code.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem's stable code (<see cref="Contracts.ErrorCodes"/>), where the answer was a problem document.</summary>
    public string? Code { get; }

    /// <summary>What went wrong, for a person.</summary>
    public string? Detail { get; }

    /// <summary>How long to wait before retrying, where the service said.</summary>
    public TimeSpan? RetryAfter { get; }
}
