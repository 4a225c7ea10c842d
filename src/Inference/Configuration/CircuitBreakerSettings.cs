using System.ComponentModel.DataAnnotations;

namespace LiteRestore.Inference;

/// <summary>Polly circuit breaker around the CUDA path (<c>Inference:CircuitBreaker</c>).</summary>
public sealed class CircuitBreakerSettings
{
    /// <summary>Share of failed CUDA batches in the sampling window that opens the breaker. Default: 0.5.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Batches the window must hold before the ratio counts. Default: 4.</summary>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 4;

    /// <summary>Default: 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open (batches go to CPU) before CUDA is tried again. Default: 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
