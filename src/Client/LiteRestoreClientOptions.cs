namespace LiteRestore.Client;

/// <summary>How the client treats an answer that says to come back later (429 or 503 with <c>Retry-After</c>).</summary>
public sealed record LiteRestoreClientOptions
{
    /// <summary>Attempts in all, the first included; 1 (the default) surfaces the first problem at once.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>The longest <c>Retry-After</c> the client waits out; a longer one is surfaced instead.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
