using LiteRestore.Inference.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// The bundled networks give the same picture in tiles sized per request as in their cards' native tiles: the two
/// differ only near where tiles meet, since a network sees other context there, and far below what the eye sees.
/// </summary>
public sealed class SizedTilePictureTests
{
    private const int SizedTileMegabytes = 256;

    /// <summary>PSNR between the two pictures below which a difference would start to be visible.</summary>
    private const double MinimumAgreementDb = 45;

    [Theory]
    [InlineData("denoise-baseline", 300, 230)]
    [InlineData("sr4-lightweight", 100, 76)]
    public async Task ABundledNetworkGivesThePictureOfItsNativeTilesInTilesSizedForTheImage(string model, int width, int height)
    {
        var root = Fixtures.RepositoryModels ?? throw new DirectoryNotFoundException("The repository's models/ folder is missing.");
        using var native = await TestEngines.StartAsync([model], o => o.CpuTileMegabytes = 0, root);
        using var sized = await TestEngines.StartAsync([model], o => o.CpuTileMegabytes = SizedTileMegabytes, root);
        using var input = NoisyScene(width, height);

        var inNative = await native.RestoreAsync(new RestorationJob(model, input), CancellationToken.None);
        var inSized = await sized.RestoreAsync(new RestorationJob(model, input), CancellationToken.None);
        using var nativeImage = inNative.Image;
        using var sizedImage = inSized.Image;

        Assert.True(inSized.Tiles < inNative.Tiles, $"{inSized.Tiles} sized tiles against {inNative.Tiles} native ones");
        var agreement = Psnr(TestImages.Pixels(nativeImage), TestImages.Pixels(sizedImage));
        Assert.True(agreement >= MinimumAgreementDb, $"the two pictures are {agreement:0.0} dB apart");
    }

    /// <summary>Smooth colour ramps, a few hard-edged boxes and mild noise: what a photograph has that tiling can disturb.</summary>
    private static Image<Rgba64> NoisyScene(int width, int height)
    {
        var random = new Random(5);
        var image = new Image<Rgba64>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var box = (x / 37 + y / 29) % 3 == 0 ? 0.25 : 0;
                    double Channel(double ramp) => Math.Clamp(ramp + box + (random.NextDouble() - 0.5) * 0.08, 0, 1);
                    row[x] = new Rgba64(Level(Channel(0.2 + 0.5 * x / width)), Level(Channel(0.3 + 0.4 * y / height)),
                        Level(Channel(0.5 + 0.3 * Math.Sin(x * 0.05 + y * 0.03))), ushort.MaxValue);
                }
            }
        });
        return image;
    }

    private static ushort Level(double value) => (ushort)Math.Round(value * ushort.MaxValue);

    private static double Psnr(Rgba64[] a, Rgba64[] b)
    {
        var squares = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            squares += Square(a[i].R - b[i].R) + Square(a[i].G - b[i].G) + Square(a[i].B - b[i].B);
        }

        var mean = squares / (3.0 * a.Length) / ((double)ushort.MaxValue * ushort.MaxValue);
        return mean == 0 ? double.PositiveInfinity : -10 * Math.Log10(mean);
    }

    private static double Square(double value) => value * value;
}
