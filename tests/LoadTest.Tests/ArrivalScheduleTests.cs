using System.Diagnostics;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Tests;

public sealed class ArrivalScheduleTests
{
    private static readonly int[] FourPerSecondOffsetsMs = [0, 250, 500, 750, 1000, 1250, 1500, 1750];

    [Theory]
    [InlineData(10, 1.0, 10)]
    [InlineData(10, 1.05, 11)]
    [InlineData(4, 2.5, 10)]
    [InlineData(0.5, 10, 5)]
    [InlineData(1000, 0.001, 1)]
    [InlineData(3, 0.1, 1)]
    public void SlotsAreTheArrivalsThatFallWithinTheDuration(double rate, double seconds, int expected)
    {
        Assert.Equal(expected, new ArrivalSchedule(rate, TimeSpan.FromSeconds(seconds)).Count);
    }

    [Fact]
    public void SlotIIsDueIOverRateSecondsAfterTheStart()
    {
        var schedule = new ArrivalSchedule(4, TimeSpan.FromSeconds(2));

        Assert.Equal(
            FourPerSecondOffsetsMs,
            Enumerable.Range(0, schedule.Count).Select(index => (int)schedule.OffsetOf(index).TotalMilliseconds));
    }

    [Fact]
    public void DueTimestampsDoNotDriftOverALongSchedule()
    {
        // 1/3 s is not a whole number of ticks; each slot is computed from the start, not added up slot by slot.
        var schedule = new ArrivalSchedule(3, TimeSpan.FromHours(1));
        const long start = 1_000;

        var last = schedule.DueTimestamp(start, schedule.Count - 1);

        Assert.Equal(start + (long)Math.Round((schedule.Count - 1) / 3.0 * Stopwatch.Frequency), last);
        Assert.Equal(3599 + (2 / 3.0), schedule.OffsetOf(schedule.Count - 1).TotalSeconds, 1e-6);
    }

    [Fact]
    public void SlotsOutsideTheScheduleAndEmptySchedulesAreRefused()
    {
        var schedule = new ArrivalSchedule(2, TimeSpan.FromSeconds(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.OffsetOf(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.OffsetOf(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrivalSchedule(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArrivalSchedule(1, TimeSpan.Zero));
    }
}
