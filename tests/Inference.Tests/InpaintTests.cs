using LiteRestore.Inference.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// fx-inpaint fills the hole (mask = 1) with mid grey and passes every other pixel through; working size 32, margin 4,
/// so holes up to 24 pixels across share one window and a hole more than 4 pixels from any known pixel is scaled.
/// </summary>
public sealed class InpaintTests
{
    private const ushort Grey = 32768;
    private static readonly Rgba64 White = new(ushort.MaxValue, ushort.MaxValue, ushort.MaxValue, ushort.MaxValue);

    [Theory]
    [InlineData(40, 30, 10, 8, 6, 5)]
    [InlineData(10, 7, 0, 0, 3, 3)]
    [InlineData(64, 64, 60, 61, 4, 3)]
    [InlineData(2, 1, 1, 0, 1, 1)]
    public async Task OnlyHolePixelsAreReplaced(int width, int height, int holeX, int holeY, int holeWidth, int holeHeight)
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(width, height, seed: width);
        var hole = new Rectangle(holeX, holeY, holeWidth, holeHeight);
        using var mask = Mask(width, height, hole);

        using var output = await engine.RestoreAsync("fx-inpaint", input, mask);

        var before = TestImages.Pixels(input);
        var after = TestImages.Pixels(output);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = y * width + x;
                var expected = hole.Contains(x, y) ? new Rgba64(Grey, Grey, Grey, before[at].A) : before[at];
                Assert.Equal(expected, after[at]);
            }
        }
    }

    [Fact]
    public async Task AHoleLargerThanTheWorkingSizeIsScaledDownAndBack()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(100, 80, seed: 3, opaque: true);
        var hole = Rectangle.FromLTRB(20, 10, 80, 70);
        using var mask = Mask(100, 80, hole);

        var result = await engine.RestoreAsync(new RestorationJob("fx-inpaint", input, mask), CancellationToken.None);
        using var output = result.Image;

        Assert.Equal(1, result.Tiles);
        var before = TestImages.Pixels(input);
        var after = TestImages.Pixels(output);
        var inner = Rectangle.Inflate(hole, -8, -8);
        for (var y = 0; y < 80; y++)
        {
            for (var x = 0; x < 100; x++)
            {
                var at = y * 100 + x;
                if (!hole.Contains(x, y))
                {
                    Assert.Equal(before[at], after[at]);
                }
                else if (inner.Contains(x, y))
                {
                    Assert.InRange(after[at].R, Grey - 1, Grey + 1);
                    Assert.InRange(after[at].B, Grey - 1, Grey + 1);
                }
            }
        }
    }

    [Fact]
    public async Task AThinStrokeLongerThanOneWindowIsFilledAtFullResolutionAlongAGrid()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(90, 40, seed: 4, opaque: true);
        var stroke = new Rectangle(5, 20, 80, 2);
        using var mask = Mask(90, 40, stroke);

        var result = await engine.RestoreAsync(new RestorationJob("fx-inpaint", input, mask), CancellationToken.None);
        using var output = result.Image;

        // cores of 32 - 2 * 4 pixels along 80: four windows; a resampled stroke would blend its neighbours into it
        Assert.Equal(4, result.Tiles);
        AssertFilledGrey(input, output, (x, y) => stroke.Contains(x, y));
    }

    [Fact]
    public async Task ADiagonalStrokeRunsOnlyTheWindowsItPassesThrough()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(100, 100, seed: 5, opaque: true);
        using var mask = new Image<Rgba64>(100, 100, new Rgba64(0, 0, 0, ushort.MaxValue));
        for (var i = 2; i < 98; i++)
        {
            mask[i, i] = White;
        }

        var result = await engine.RestoreAsync(new RestorationJob("fx-inpaint", input, mask), CancellationToken.None);
        using var output = result.Image;

        // the 96-pixel diagonal crosses 4 of the 4 x 4 cores of its bounding box
        Assert.Equal(4, result.Tiles);
        AssertFilledGrey(input, output, (x, y) => x == y && x is >= 2 and < 98);
    }

    [Fact]
    public async Task NearbySmallHolesShareAWindowAndDistantOnesGetTheirOwn()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(120, 60, seed: 6, opaque: true);
        Rectangle[] holes = [new(10, 10, 3, 3), new(20, 15, 2, 4), new(14, 25, 5, 2), new(100, 40, 4, 4)];
        using var mask = Mask(120, 60, holes);

        var result = await engine.RestoreAsync(new RestorationJob("fx-inpaint", input, mask), CancellationToken.None);
        using var output = result.Image;

        Assert.Equal(2, result.Tiles);
        AssertFilledGrey(input, output, (x, y) => holes.Any(h => h.Contains(x, y)));
    }

    [Fact]
    public async Task TransparentPixelsMarkTheHoleWithoutAMaskAndBecomeOpaque()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(20, 20, seed: 9, opaque: true);
        input[5, 6] = new Rgba64(1, 2, 3, 0);
        input[7, 6] = new Rgba64(1, 2, 3, 1000);

        using var output = await engine.RestoreAsync("fx-inpaint", input);

        Assert.Equal(new Rgba64(Grey, Grey, Grey, ushort.MaxValue), output[5, 6]);
        Assert.Equal(new Rgba64(Grey, Grey, Grey, ushort.MaxValue), output[7, 6]);
        Assert.Equal(input[6, 6], output[6, 6]);
    }

    [Fact]
    public async Task AMaskOfAnotherSizeIsRejected()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(20, 20);
        using var mask = Mask(20, 21, new Rectangle(1, 1, 2, 2));

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => engine.RestoreAsync("fx-inpaint", input, mask));

        Assert.Equal("mask_mismatch", rejected.Code);
    }

    [Fact]
    public async Task AHoleOverTheWholeImageIsRejectedRatherThanFilledFromNothing()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(20, 20, opaque: true);
        using var allWhite = Mask(20, 20, new Rectangle(0, 0, 20, 20));
        using var transparent = new Image<Rgba64>(20, 20);

        var byMask = await Assert.ThrowsAsync<ImageRejectedException>(() => engine.RestoreAsync("fx-inpaint", input, allWhite));
        var byAlpha = await Assert.ThrowsAsync<ImageRejectedException>(() => engine.RestoreAsync("fx-inpaint", transparent));

        Assert.Equal(("hole_covers_image", "hole_covers_image"), (byMask.Code, byAlpha.Code));
    }

    [Fact]
    public async Task AnEmptyMaskLeavesTheImageAsItIs()
    {
        using var engine = await TestEngines.StartAsync(["fx-inpaint"]);
        using var input = TestImages.Random(20, 20, opaque: true);

        var result = await engine.RestoreAsync(new RestorationJob("fx-inpaint", input, Mask(20, 20, Rectangle.Empty)), CancellationToken.None);

        Assert.Equal(0, result.Tiles);
        Assert.Equal(TestImages.Pixels(input), TestImages.Pixels(result.Image));
        result.Image.Dispose();
    }

    /// <summary>Every hole pixel is exactly the fixture's grey and every other pixel is the input's.</summary>
    private static void AssertFilledGrey(Image<Rgba64> input, Image<Rgba64> output, Func<int, int, bool> inHole)
    {
        var before = TestImages.Pixels(input);
        var after = TestImages.Pixels(output);
        for (var y = 0; y < input.Height; y++)
        {
            for (var x = 0; x < input.Width; x++)
            {
                var at = y * input.Width + x;
                Assert.Equal(inHole(x, y) ? new Rgba64(Grey, Grey, Grey, before[at].A) : before[at], after[at]);
            }
        }
    }

    private static Image<Rgba64> Mask(int width, int height, params Rectangle[] holes)
    {
        var mask = new Image<Rgba64>(width, height, new Rgba64(0, 0, 0, ushort.MaxValue));
        foreach (var hole in holes)
        {
            for (var y = hole.Top; y < hole.Bottom; y++)
            {
                for (var x = hole.Left; x < hole.Right; x++)
                {
                    mask[x, y] = White;
                }
            }
        }

        return mask;
    }
}
