using System.ComponentModel.DataAnnotations;

namespace LiteRestore.Api.Configuration;

/// <summary>The "RateLimiting" section: a token bucket per client IP address in front of the restoration endpoints.</summary>
internal sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Burst: how many restorations one client may send at once.</summary>
    [Range(1, int.MaxValue)]
    public int TokenLimit { get; set; } = 20;

    /// <summary>Sustained rate: tokens given back every <see cref="ReplenishmentPeriod"/>.</summary>
    [Range(1, int.MaxValue)]
    public int TokensPerPeriod { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
