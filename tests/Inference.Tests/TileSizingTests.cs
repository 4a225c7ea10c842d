using LiteRestore.Contracts;

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

    [Fact]
    public void ANetworkThatSlowsDownPerPixelInLargeTilesKeepsSmallTiles()
    {
        // denoise-lightweight's two sessions on a quiet machine here (models/denoise-lightweight/tile-cost.json)
        var cacheBound = Cost((128, 1.332), (160, 1.414), (192, 1.380), (256, 1.432), (384, 1.848), (512, 2.029), (640, 2.130));
        var sizing = TileSizing.PerRequest(Native, Overlap, TileBudget / BytesPerPixel, BytesPerPixel, cacheBound, sessions: 2);

        var shape = sizing.For(1024, 1024);

        Assert.InRange(shape.Pixels, 1, 256 * 256);
    }

    [Fact]
    public void ANetworkThatCostsAlmostTheSamePerPixelInLargeTilesGetsLargeOnes()
    {
        var computeBound = Cost((128, 10.4), (256, 10.8), (640, 10.9));
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

    [Fact]
    public void NoTileIsLargerThanTheLargestWhoseCostWasMeasured()
    {
        var cost = Cost((128, 10.4), (256, 10.4));
        var sizing = TileSizing.PerRequest(Native, Overlap, Math.Min(TileBudget / BytesPerPixel, cost.LargestPixels), BytesPerPixel, cost, sessions: 2);

        var shape = sizing.For(2048, 2048);

        Assert.InRange(shape.Pixels, 1, 256 * 256);
    }

    [Fact]
    public void ATileCostsWhatTheMeasuredSizesAroundItCostInProportion()
    {
        var cost = Cost((128, 2), (256, 4));

        Assert.Equal(2e-6, cost.SecondsPerPixel(64 * 64), 12);
        Assert.Equal(3e-6, cost.SecondsPerPixel((128 * 128 + 256 * 256) / 2), 12);
        Assert.Equal(4e-6, cost.SecondsPerPixel(1024 * 1024), 12);
    }

    private static TileCost Cost(params (int Side, double Microseconds)[] points) =>
        TileCost.From(new TileCostCurve(ModelPrecision.Fp32, points.Select(p => new TileCostPoint(p.Side, p.Microseconds)).ToArray()));

    private static TileSizing Sizing(int sessions) =>
        TileSizing.PerRequest(Native, Overlap, TileBudget / BytesPerPixel, BytesPerPixel, TileCost.Uniform, sessions);

    private static long Tiles(TileShape shape, int width, int height) =>
        new TileGrid(width, shape.Width, Overlap).Starts.Length * (long)new TileGrid(height, shape.Height, Overlap).Starts.Length;

    private static long Computed(TileShape shape, int width, int height) => Tiles(shape, width, height) * shape.Pixels;
}
