using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class TileQueueTests
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RequestsAreServedRoundRobinSoAHugeImageDoesNotStarveSmallOnes()
    {
        var queue = new TileQueue("m", capacity: 1000, RetryAfter);
        var huge = Request(500);
        var small = Request(2);
        var other = Request(1);
        queue.Enqueue(huge);
        queue.Enqueue(small);
        queue.Enqueue(other);
        var batch = new List<TileWork>();

        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 4, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal([(huge, 0), (small, 0), (other, 0), (huge, 1)], batch.Select(w => (w.Request, w.Tile)));

        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 4, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal([(small, 1), (huge, 2), (huge, 3), (huge, 4)], batch.Select(w => (w.Request, w.Tile)));
        Assert.Equal(495, queue.Depth);
    }

    [Fact]
    public void AFullQueueRejectsAtOnceWithRetryAfter()
    {
        var queue = new TileQueue("m", capacity: 10, RetryAfter);
        queue.Enqueue(Request(6));

        var started = Stopwatch.GetTimestamp();
        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(6)));

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));
        Assert.Equal(RetryAfter, rejected.RetryAfter);
        Assert.Equal("overloaded", rejected.Code);
        Assert.Equal(6, queue.Depth);
        queue.Enqueue(Request(4));
        Assert.Equal(10, queue.Depth);
    }

    [Fact]
    public void ASmallRequestIsAdmittedBesideAHugeOneButASecondHugeOneIsNot()
    {
        // Round-robin runs at most 2 of the huge request's tiles before the small one's last: 2 + 2 fit in 10.
        var queue = new TileQueue("m", capacity: 10, RetryAfter);
        queue.Enqueue(Request(25));

        queue.Enqueue(Request(2));

        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(25)));
        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(5)));
        Assert.Equal(27, queue.Depth);
    }

    [Fact]
    public async Task RetryAfterFollowsTheMeasuredDrainRate()
    {
        var queue = new TileQueue("m", capacity: 4, TimeSpan.Zero);
        queue.Enqueue(Request(40));
        var batch = new List<TileWork>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(20);
            Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 1, TimeSpan.Zero, CancellationToken.None));
        }

        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(30)));

        // 30 tiles and 30 of the first request's before its last: 56 past the capacity, at 20 ms or more a tile
        Assert.InRange(rejected.RetryAfter!.Value, TimeSpan.FromMilliseconds(30 * 15), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task CancellingARequestDropsItsPendingTiles()
    {
        var queue = new TileQueue("m", capacity: 100, RetryAfter);
        using var cancel = new CancellationTokenSource();
        var cancelled = Request(20, cancel.Token);
        var kept = Request(3);
        queue.Enqueue(cancelled);
        queue.Enqueue(kept);
        var batch = new List<TileWork>();
        await queue.TakeBatchAsync(batch, maxTiles: 2, TimeSpan.Zero, CancellationToken.None);

        await cancel.CancelAsync();

        Assert.Equal(2, queue.Depth);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Completion);
        await queue.TakeBatchAsync(batch, maxTiles: 10, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal([(kept, 1), (kept, 2)], batch.Select(w => (w.Request, w.Tile)));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task ABatcherWaitsAtMostTheDelayForMoreTiles()
    {
        var queue = new TileQueue("m", capacity: 100, RetryAfter);
        var first = Request(1);
        var second = Request(2);
        queue.Enqueue(first);
        var batch = new List<TileWork>();

        var taking = queue.TakeBatchAsync(batch, maxTiles: 3, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(taking.IsCompleted);
        queue.Enqueue(second);

        Assert.True(await taking.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([first, second, second], batch.Select(w => w.Request));

        queue.Enqueue(Request(1));
        var started = Stopwatch.GetTimestamp();
        await queue.TakeBatchAsync(batch, maxTiles: 3, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        Assert.Single(batch);
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task CompletingTheQueueRejectsNewWorkButHandsOutWhatWasAdmitted()
    {
        var queue = new TileQueue("m", capacity: 100, RetryAfter);
        var admitted = Request(3);
        queue.Enqueue(admitted);

        queue.Complete();

        Assert.Throws<ModelNotReadyException>(() => queue.Enqueue(Request(1)));
        var batch = new List<TileWork>();
        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 8, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(3, batch.Count);
        Assert.False(await queue.TakeBatchAsync(batch, maxTiles: 8, TimeSpan.Zero, CancellationToken.None));
    }

    private static TileRequest Request(int tiles, CancellationToken cancellationToken = default) =>
        new(new CountingPlan(tiles), default, cancellationToken);

    private sealed class CountingPlan(int tiles) : IRestorationPlan
    {
        public int TileCount => tiles;

        public void WriteInput(int tile, Span<float> destination) => destination.Fill(tile);

        public void ReadOutput(int tile, ReadOnlySpan<float> output) => Assert.Equal(tile, output[0]);

        public Image<Rgba64> Finish() => new(1, 1);

        public void Dispose()
        {
        }
    }
}
