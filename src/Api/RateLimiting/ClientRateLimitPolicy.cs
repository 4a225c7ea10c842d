using System.Threading.RateLimiting;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Problems;
using LiteRestore.Contracts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LiteRestore.Api.RateLimiting;

/// <summary>
/// A token bucket per client IP address. Rejections answer at once (no queueing at the edge: the model queues already
/// absorb bursts) with 429, <c>Retry-After</c> and the rate_limited problem.
/// </summary>
internal sealed class ClientRateLimitPolicy(IOptions<RateLimitingOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "per-client";

    private const string UnknownClient = "unknown";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.Value;
        var client = httpContext.Connection.RemoteIpAddress?.ToString() ?? UnknownClient;
        if (!limits.Enabled)
        {
            return RateLimitPartition.GetNoLimiter(client);
        }

        return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.TokenLimit,
            TokensPerPeriod = limits.TokensPerPeriod,
            ReplenishmentPeriod = limits.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : options.Value.ReplenishmentPeriod;
        ApiProblems.SetRetryAfter(context.HttpContext.Response, retryAfter);
        await ApiProblems.Create(ErrorCodes.RateLimited, "This client sent too many restoration requests; retry later.")
            .ExecuteAsync(context.HttpContext);
    }
}
