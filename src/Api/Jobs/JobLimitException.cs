using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Api.Jobs;

/// <summary>The store holds as many jobs as it may; the soonest to expire makes room after <see cref="RetryAfter"/>.</summary>
internal sealed class JobLimitException(int maxJobs, TimeSpan soonestExpiry)
    : RestorationException(ErrorCodes.Overloaded, $"{maxJobs} jobs are held, as many as the service keeps; delete finished ones, or retry when one expires.")
{
    public override TimeSpan? RetryAfter { get; } = soonestExpiry > TimeSpan.Zero ? soonestExpiry : TimeSpan.Zero;
}
