using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class TileQueueTests
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(3);
    private static readonly TileShape NativeShape = TileShape.Square(3, 3, 16, 1);

    [Fact]
    public async Task RequestsAreServedRoundRobinSoAHugeImageDoesNotStarveSmallOnes()
    {
        var queue = Queue(capacity: 1000);
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
        var queue = Queue(capacity: 10);
        queue.Enqueue(Request(6));

        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(6)));

        Assert.Equal(RetryAfter, rejected.RetryAfter);
        Assert.Equal("overloaded", rejected.Code);
        Assert.Equal(6, queue.Depth);
        queue.Enqueue(Request(4));
        Assert.Equal(10, queue.Depth);
    }

    [Fact]
    public void ALargeTileCountsAsTheNativeTilesOfWorkItHolds()
    {
        var queue = Queue(capacity: 10);
        queue.Enqueue(Sized(tiles: 2, tileWork: 3));

        // 2 tiles of 3 native tiles' work each: 6 of the 10, so 4 more native tiles fit and 5 do not
        Assert.Equal(6, queue.Depth);
        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(5)));
        queue.Enqueue(Request(4));
        Assert.Equal(10, queue.Depth);
    }

    [Fact]
    public async Task ABatchHoldsTilesOfOneShapeAndTheOtherShapeRunsNext()
    {
        var queue = Queue(capacity: 100);
        var native = Request(2);
        var sized = Sized(tiles: 2, tileWork: 2);
        queue.Enqueue(native);
        queue.Enqueue(sized);
        var batch = new List<TileWork>();

        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 4, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal([(native, 0)], batch.Select(w => (w.Request, w.Tile)));

        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 4, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal([(sized, 0)], batch.Select(w => (w.Request, w.Tile)));
        Assert.Equal(1 + 2, queue.Depth);
        queue.Finished(1 + 2, TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public void ASmallRequestIsAdmittedBesideAHugeOneButASecondHugeOneIsNot()
    {
        // Round-robin runs at most 2 of the huge request's tiles before the small one's last: 2 + 2 fit in 10.
        var queue = Queue(capacity: 10);
        queue.Enqueue(Request(25));

        queue.Enqueue(Request(2));

        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(25)));
        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(5)));
        Assert.Equal(27, queue.Depth);
    }

    [Fact]
    public void AHugeRequestIsAdmittedBesideSteadySmallTraffic()
    {
        // Its own 25 tiles count for half the capacity: the small request's 2 ahead of it fit in the other half.
        var queue = Queue(capacity: 10);
        queue.Enqueue(Request(2));

        queue.Enqueue(Request(25));

        Assert.Equal(27, queue.Depth);
    }

    [Fact]
    public async Task RetryAfterFollowsTheMeasuredDrainRate()
    {
        var queue = Queue(capacity: 4, retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(40));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(20));

        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(30)));

        // 2 of its own tiles and 30 of the first request's run before its last: 28 past the capacity, 20 ms each
        AssertNear(TimeSpan.FromMilliseconds(28 * 20), rejected.RetryAfter);
    }

    [Fact]
    public async Task ARequestThatWouldWaitPastTheLongestQueueWaitIsRejectedWithTheExcess()
    {
        var queue = Queue(capacity: 1000, maxWait: TimeSpan.FromSeconds(1), retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(100));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(50));
        queue.Enqueue(Request(19));

        // 19 of the first request's tiles run before the second's last: 0.95 s at 50 ms a tile, within the wait;
        // 30 of the first's and 19 of the second's would run before a third's last: 2.45 s, 1.45 s past it
        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(30)));

        AssertNear(TimeSpan.FromSeconds(1.45), rejected.RetryAfter);
        Assert.Contains("delay", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(114, queue.Depth);
    }

    [Fact]
    public async Task BatchersRunningSideBySideShareTheDrain()
    {
        var queue = Queue(capacity: 1000, maxWait: TimeSpan.FromSeconds(1), retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(100));
        List<TileWork> first = [], second = [];
        Assert.True(await queue.TakeBatchAsync(first, maxTiles: 1, TimeSpan.Zero, CancellationToken.None));
        Assert.True(await queue.TakeBatchAsync(second, maxTiles: 1, TimeSpan.Zero, CancellationToken.None));
        queue.Finished(1, TimeSpan.FromMilliseconds(100));
        queue.Finished(1, TimeSpan.FromMilliseconds(100));

        // two batchers at 100 ms a tile drain one every 50 ms: 21 tiles ahead would wait 1.05 s, 19 wait 0.95 s
        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(21)));
        AssertNear(TimeSpan.FromMilliseconds(50), rejected.RetryAfter);
        queue.Enqueue(Request(19));
    }

    [Fact]
    public async Task AdmissionKeepsTheReserveOfTheLongestWait()
    {
        var limits = QueueLimits.From(new InferenceOptions { MaxQueueWait = TimeSpan.FromSeconds(1), QueueWaitReserve = 0.1, QueueFullRetryAfter = TimeSpan.Zero });
        var queue = new TileQueue("m", limits);
        queue.Enqueue(Request(100));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(50));

        // 19 tiles ahead: 0.95 s at 50 ms a tile, within the longest wait but not within the 0.9 s left after the reserve
        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(19)));

        AssertNear(TimeSpan.FromMilliseconds(50), rejected.RetryAfter);
        queue.Enqueue(Request(18));
    }

    [Fact]
    public async Task ARequestIsRejectedWhereItWouldDelayOneAlreadyWaitingPastTheLongestWait()
    {
        var queue = Queue(capacity: 1000, maxWait: TimeSpan.FromSeconds(1), retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(100));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(50));
        queue.Enqueue(Request(18));

        // 6 tiles would run before its own last, 0.3 s; but the first two would each wait 18 + 3 tiles, 1.05 s
        var rejected = Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(3)));

        Assert.Contains("one already waiting", rejected.Message, StringComparison.Ordinal);
        AssertNear(TimeSpan.FromMilliseconds(50), rejected.RetryAfter);
    }

    [Fact]
    public async Task TheTilesRunningNowCountTowardsANewRequestsWait()
    {
        var queue = Queue(capacity: 1000, maxWait: TimeSpan.FromSeconds(1.01), retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(100));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(50));
        var running = new List<TileWork>();
        Assert.True(await queue.TakeBatchAsync(running, maxTiles: 2, TimeSpan.Zero, CancellationToken.None));

        // 19 tiles of the first and the 2 running: 1.05 s, past the wait; once those 2 have run, 0.95 s
        Assert.Throws<QueueFullException>(() => queue.Enqueue(Request(19)));
        queue.Finished(2, runTime: null);
        queue.Enqueue(Request(19));
    }

    [Theory]
    [InlineData(false, 20)]
    [InlineData(true, 30)]
    public async Task ABackgroundRequestIsPromisedNoWaitSoItTurnsNobodyAway(bool background, int admitted)
    {
        // One-tile requests come and go beside a long one; each runs one more tile before the long one's last.
        var queue = Queue(capacity: 1000, maxWait: TimeSpan.FromSeconds(1.01), retryAfter: TimeSpan.Zero);
        queue.Enqueue(Request(100, background: background));
        await TakeTilesAsync(queue, tiles: 5, TimeSpan.FromMilliseconds(50));

        var count = 0;
        while (count < 30 && TryEnqueue(queue, Request(1)))
        {
            count++;
            await TakeTilesAsync(queue, tiles: 2, TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(admitted, count);
    }

    [Fact]
    public async Task CancellingARequestDropsItsPendingTiles()
    {
        var queue = Queue(capacity: 100);
        using var cancel = new CancellationTokenSource();
        var cancelled = Request(20, cancellationToken: cancel.Token);
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
        var queue = Queue(capacity: 100);
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
        var queue = Queue(capacity: 100);
        var admitted = Request(3);
        queue.Enqueue(admitted);

        queue.Complete();

        Assert.Throws<ModelNotReadyException>(() => queue.Enqueue(Request(1)));
        var batch = new List<TileWork>();
        Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 8, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(3, batch.Count);
        Assert.False(await queue.TakeBatchAsync(batch, maxTiles: 8, TimeSpan.Zero, CancellationToken.None));
    }

    private static TileQueue Queue(int capacity, TimeSpan? maxWait = null, TimeSpan? retryAfter = null) =>
        new("m", new QueueLimits(capacity, maxWait ?? TimeSpan.FromMinutes(10), retryAfter ?? RetryAfter));

    private static void AssertNear(TimeSpan expected, TimeSpan? actual) =>
        Assert.InRange(actual!.Value, expected - TimeSpan.FromMilliseconds(1), expected + TimeSpan.FromMilliseconds(1));

    /// <summary>Runs <paramref name="tiles"/> tiles one at a time on one batcher, each batch taking <paramref name="tileTime"/>.</summary>
    private static async Task TakeTilesAsync(TileQueue queue, int tiles, TimeSpan tileTime)
    {
        var batch = new List<TileWork>();
        for (var i = 0; i < tiles; i++)
        {
            Assert.True(await queue.TakeBatchAsync(batch, maxTiles: 1, TimeSpan.Zero, CancellationToken.None));
            queue.Finished(batch.Count, tileTime);
        }
    }

    private static TiledRequest Request(int tiles, bool background = false, CancellationToken cancellationToken = default) =>
        new(new CountingPlan(tiles, NativeShape), default, cancellationToken, background: background);

    /// <summary>A request whose tiles are <paramref name="tileWork"/> times the native tile's size.</summary>
    private static TiledRequest Sized(int tiles, int tileWork) =>
        new(new CountingPlan(tiles, NativeShape with { Width = NativeShape.Width * tileWork }), default, CancellationToken.None, tileWork: tileWork);

    private static bool TryEnqueue(TileQueue queue, TiledRequest request)
    {
        try
        {
            queue.Enqueue(request);
            return true;
        }
        catch (QueueFullException)
        {
            return false;
        }
    }

    private sealed class CountingPlan(int tiles, TileShape shape) : IRestorationPlan
    {
        public int TileCount => tiles;

        public TileShape Shape => shape;

        public void WriteInput(int tile, Span<float> destination) => destination.Fill(tile);

        public void ReadOutput(int tile, ReadOnlySpan<float> output) => Assert.Equal(tile, output[0]);

        public Image<Rgba64> Finish() => new(1, 1);

        public void Dispose()
        {
        }
    }
}
