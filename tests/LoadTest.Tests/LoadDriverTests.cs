using System.Diagnostics;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Tests;

public sealed class LoadDriverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheOpenModelSendsEverySlotWithoutWaitingForAnswersAndCountsLatencyFromTheSlot()
    {
        // 20 slots in 0.1 s; no request is answered until all 20 were sent, which a closed loop could never do.
        var schedule = new ArrivalSchedule(200, TimeSpan.FromSeconds(0.1));
        var allSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dues = new List<long>();

        async Task Issue(long due)
        {
            lock (dues)
            {
                dues.Add(due);
                if (dues.Count == schedule.Count)
                {
                    allSent.SetResult();
                }
            }

            await allSent.Task;
        }

        await LoadDrivers.RunOpenAsync(schedule, Issue, CancellationToken.None).WaitAsync(Patience);

        dues.Sort();
        var start = dues[0];
        Assert.Equal(Enumerable.Range(0, schedule.Count).Select(index => schedule.DueTimestamp(start, index)), dues);
    }

    [Fact]
    public async Task TheOpenModelNeverSendsARequestBeforeItsSlot()
    {
        // Slots 1.3 ms apart fall between the timer's millisecond ticks, where a timer may fire early.
        var schedule = new ArrivalSchedule(770, TimeSpan.FromSeconds(0.2));
        var earliness = new List<long>();

        Task Issue(long due)
        {
            var sent = Stopwatch.GetTimestamp();
            lock (earliness)
            {
                earliness.Add(due - sent);
            }

            return Task.CompletedTask;
        }

        await LoadDrivers.RunOpenAsync(schedule, Issue, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(schedule.Count, earliness.Count);
        Assert.All(earliness, ticksEarly => Assert.True(ticksEarly <= 0, $"sent {ticksEarly} ticks before its slot"));
    }

    [Fact]
    public async Task TheClosedModelNeverHasMoreRequestsInFlightThanClients()
    {
        const int clients = 3;
        var inFlight = 0;
        var most = 0;
        var sent = 0;
        var allBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Issue(long due)
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            Interlocked.Increment(ref sent);
            if (now == clients)
            {
                allBusy.TrySetResult();
            }

            // No answer comes before every client is busy, so the peak is reached for certain.
            await allBusy.Task;
            await Task.Delay(1);
            Interlocked.Decrement(ref inFlight);
        }

        await LoadDrivers.RunClosedAsync(clients, TimeSpan.FromMilliseconds(200), Issue, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(clients, most);
        Assert.Equal(0, inFlight);
        Assert.True(sent >= clients);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
