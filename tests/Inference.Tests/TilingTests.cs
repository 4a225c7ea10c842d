using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class TilingTests
{
    /// <summary>Working memory a CPU tile may take where the tests size tiles per request: more than any fixture image needs.</summary>
    private const int SizedTileMegabytes = 256;

    // fx-identity and fx-sr-nearest: tile 16, overlap 4. fx-conv: tile 32, overlap 8, two 3x3 convolutions, residual.
    private static readonly (int Width, int Height)[] ImageSizes =
    [
        (1, 1), (2, 1), (3, 5), (15, 15), (16, 16), (17, 17), (15, 17), (12, 13), (29, 31), (3, 700), (700, 3), (41, 40),
    ];

    /// <summary>Every image size, in the cards' native tiles and in tiles sized per request.</summary>
    public static TheoryData<int, int, bool> Sizes
    {
        get
        {
            var data = new TheoryData<int, int, bool>();
            foreach (var (width, height) in ImageSizes)
            {
                data.Add(width, height, false);
                data.Add(width, height, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task IdentityNetworkReturnsTheInputExactly(int width, int height, bool sized)
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o => (o.MaxBatchTiles, o.CpuTileMegabytes) = (3, Megabytes(sized)));
        using var input = TestImages.Random(width, height, seed: width * 1000 + height);

        using var output = await engine.RestoreAsync("fx-identity", input);

        Assert.Equal(input.Size(), output.Size());
        Assert.Equal(TestImages.Pixels(input), TestImages.Pixels(output));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task NearestUpsamplerIsTiledInInputSpaceWithoutSeams(int width, int height, bool sized)
    {
        if ((long)width * height * 16 > 200_000)
        {
            return;
        }

        using var engine = await TestEngines.StartAsync(["fx-sr-nearest"], o => (o.MaxBatchTiles, o.CpuTileMegabytes) = (2, Megabytes(sized)));
        using var input = TestImages.Random(width, height, seed: width + height, opaque: true);

        using var output = await engine.RestoreAsync("fx-sr-nearest", input);

        Assert.Equal(new Size(width * 4, height * 4), output.Size());
        var source = TestImages.Pixels(input);
        var result = TestImages.Pixels(output);
        for (var y = 0; y < output.Height; y++)
        {
            for (var x = 0; x < output.Width; x++)
            {
                Assert.Equal(source[y / 4 * width + x / 4], result[y * output.Width + x]);
            }
        }
    }

    [Fact]
    public async Task SuperResolutionCarriesAlphaResized()
    {
        using var engine = await TestEngines.StartAsync(["fx-sr-nearest"]);
        using var input = TestImages.Solid(6, 5, new Rgba64(10000, 20000, 30000, 20000));

        using var output = await engine.RestoreAsync("fx-sr-nearest", input);

        Assert.All(TestImages.Pixels(output), p => Assert.Equal(new Rgba64(10000, 20000, 30000, 20000), p));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TiledResultMatchesTheWholeImageAwayFromTheBorders(bool sized)
    {
        const int Width = 75, Height = 58, Radius = 2;
        using var engine = await TestEngines.StartAsync(["fx-conv"], o => (o.MaxBatchTiles, o.CpuTileMegabytes) = (4, Megabytes(sized)));
        using var input = TestImages.Random(Width, Height, seed: 7, opaque: true);
        using var output = await engine.RestoreAsync("fx-conv", input);

        var planes = new float[3 * Width * Height];
        PlanarPixels.Read(input, planes);
        var whole = RunWholeImage(planes, Width, Height);

        var result = TestImages.Pixels(output);
        var compared = 0;
        for (var y = Radius; y < Height - Radius; y++)
        {
            for (var x = Radius; x < Width - Radius; x++)
            {
                var at = y * Width + x;
                var expected = new[] { at, Width * Height + at, 2 * Width * Height + at }
                    .Select(i => PlanarPixels.ToLevel(planes[i] - whole[i])).ToArray();
                var actual = result[at];
                Assert.InRange(Math.Abs(actual.R - expected[0]), 0, 1);
                Assert.InRange(Math.Abs(actual.G - expected[1]), 0, 1);
                Assert.InRange(Math.Abs(actual.B - expected[2]), 0, 1);
                compared++;
            }
        }

        Assert.Equal((Width - 2 * Radius) * (Height - 2 * Radius), compared);
    }

    [Fact]
    public async Task OnCpuAnImageRunsInTilesSizedForItAndFewerOfThem()
    {
        using var native = await TestEngines.StartAsync(["fx-conv"], o => o.CpuTileMegabytes = 0);
        using var sized = await TestEngines.StartAsync(["fx-conv"], o => o.CpuTileMegabytes = SizedTileMegabytes);
        using var input = TestImages.Random(75, 58, seed: 3, opaque: true);

        var inNative = await native.RestoreAsync(new RestorationJob("fx-conv", input), CancellationToken.None);
        var inSized = await sized.RestoreAsync(new RestorationJob("fx-conv", input), CancellationToken.None);

        // 32 px tiles overlapping by 8: 4 x 3 of them; one session and room for the whole image: one tile
        Assert.Equal((12, 1), (inNative.Tiles, inSized.Tiles));
        inNative.Image.Dispose();
        inSized.Image.Dispose();
    }

    private static int Megabytes(bool sized) => sized ? SizedTileMegabytes : 0;

    private static float[] RunWholeImage(float[] planes, int width, int height)
    {
        using var session = new InferenceSession(Path.Combine(Fixtures.Models, "fx-conv", "model.onnx"));
        using var input = OrtValue.CreateTensorValueFromMemory(planes, [1, 3, height, width]);
        using var outputs = session.Run(new RunOptions(), ["input"], [input], ["output"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
