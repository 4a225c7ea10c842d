using System.Diagnostics;

namespace LiteRestore.LoadTest.Load;

/// <summary>
/// The open model's constant arrival schedule: request <c>i</c> is due <c>i / rate</c> seconds after the start, for every
/// slot that falls within the duration.
/// </summary>
internal sealed class ArrivalSchedule
{
    private readonly double rate;

    public ArrivalSchedule(double requestsPerSecond, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(duration.Ticks);
        rate = requestsPerSecond;
        Count = checked((int)Math.Ceiling(duration.TotalSeconds * requestsPerSecond));
    }

    /// <summary>Slots in the duration: those with <c>i / rate &lt; duration</c>.</summary>
    public int Count { get; }

    public TimeSpan OffsetOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return TimeSpan.FromSeconds(index / rate);
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which slot <paramref name="index"/> is due.</summary>
    public long DueTimestamp(long startTimestamp, int index) =>
        startTimestamp + (long)Math.Round(index / rate * Stopwatch.Frequency);
}
