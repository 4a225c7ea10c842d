namespace LiteRestore.Inference.Tests;

/// <summary>
/// The tiles a CPU request runs in, with the bundled denoisers' geometry (128 px native tiles overlapping by 24) and
/// the working memory per pixel that warm-up measures for denoise-baseline on this machine (about 580 bytes).
/// </summary>
public sealed class TileSizingTests
{
    private const int Overlap = 24;
    private const long BytesPerPixel = 580;
    private const long TileBudget = 256L * 1024 * 1024;
    private static readonly TileShape Native = TileShape.Square(3, 3, 128, 1);

    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(2048)]
    [InlineData(4096)]
    public void FromFiveHundredAndTwelvePixelsUpAtMostFifteenPercentMoreIsComputedThanReturned(int side)
    {
        var sizing = Sizing(sessions: 2);

        var shape = sizing.For(side, side);

        Assert.InRange(Computed(shape, side, side) / ((double)side * side), 1, 1.15);
    }

    [Fact]
    public void NativeTilesComputeFarMoreOfALargeImageTwice()
    {
        var computed = Computed(Native, 1024, 1024) / (1024.0 * 1024);

        Assert.InRange(computed, 1.5, 1.6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ALoneRequestHasATileForEverySession(int sessions)
    {
        var sizing = Sizing(sessions);

        var shape = sizing.For(512, 512);

        Assert.True(Tiles(shape, 512, 512) % sessions == 0, $"{Tiles(shape, 512, 512)} tiles of {shape} on {sessions} sessions");
    }

    [Theory]
    [InlineData(8192, 8192)]
    [InlineData(8192, 5)]
    [InlineData(300, 7000)]
    public void NoTileNeedsMoreWorkingMemoryThanARunMayTake(int width, int height)
    {
        var sizing = Sizing(sessions: 2);

        var shape = sizing.For(width, height);

        Assert.InRange(sizing.RunBytes(shape), 1, TileBudget);
    }

    [Theory]
    [InlineData(1.34e-6, 1.92e-6)] // denoise-lightweight on a quiet machine here
    [InlineData(0.72e-6, 1.4e-6)] // and on one core of an earlier one
    public void ANetworkThatSlowsDownPerPixelInLargeTilesKeepsNativeTiles(double nativeSecondsPerPixel, double probeSecondsPerPixel)
    {
        var cacheBound = new TileSpeed(Native.Pixels, nativeSecondsPerPixel, 256 * 256, probeSecondsPerPixel);
        var sizing = TileSizing.PerRequest(Native, Overlap, TileBudget / BytesPerPixel, BytesPerPixel, cacheBound, sessions: 2);

        var shape = sizing.For(1024, 1024);

        Assert.InRange(shape.Pixels, 1, Native.Pixels);
    }

    [Fact]
    public void ANetworkThatCostsAlmostTheSamePerPixelInLargeTilesGetsLargeOnes()
    {
        // denoise-baseline on a quiet machine here: 10.4 µs a pixel in native tiles, 10.8 µs in 256 px ones
        var computeBound = new TileSpeed(Native.Pixels, 10.4e-6, 256 * 256, 10.8e-6);
        var sizing = TileSizing.PerRequest(Native, Overlap, TileBudget / BytesPerPixel, BytesPerPixel, computeBound, sessions: 2);

        var shape = sizing.For(1024, 1024);

        Assert.InRange(Computed(shape, 1024, 1024) / (1024.0 * 1024), 1, 1.15);
    }

    [Fact]
    public void ASmallImageRunsInOneTileJustLargerThanItself()
    {
        var shape = Sizing(sessions: 1).For(40, 30);

        // the image and the reflected half overlap on each side
        Assert.Equal((40 + Overlap, 30 + Overlap), (shape.Width, shape.Height));
    }

    [Fact]
    public void FixedSizingKeepsTheNativeTileAndItsWorkIsOneTile()
    {
        var sizing = TileSizing.Fixed(Native, Overlap);

        Assert.Equal(Native, sizing.For(1000, 700));
        Assert.Equal(1, sizing.WorkOf(Native));
        Assert.Equal(0, sizing.RunBytes(Native));
    }

    [Fact]
    public void ALargeTileIsWorthTheNativeTilesItCovers()
    {
        var sizing = Sizing(sessions: 2);

        Assert.Equal(4, sizing.WorkOf(Native with { Width = 256, Height = 256 }));
        Assert.Equal(5, sizing.WorkOf(Native with { Width = 257, Height = 256 }));
    }

    private static TileSizing Sizing(int sessions) =>
        TileSizing.PerRequest(Native, Overlap, TileBudget / BytesPerPixel, BytesPerPixel, TileSpeed.Uniform, sessions);

    private static long Tiles(TileShape shape, int width, int height) =>
        new TileGrid(width, shape.Width, Overlap).Starts.Length * (long)new TileGrid(height, shape.Height, Overlap).Starts.Length;

    private static long Computed(TileShape shape, int width, int height) => Tiles(shape, width, height) * shape.Pixels;
}
