using LiteRestore.Inference.Tests.Infrastructure;
using LiteRestore.Tests.Shared;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// Clients send broken files. Seeded random damage to valid PNG, JPEG and WebP files must either still decode or be
/// rejected with a coded problem; any other exception would reach the client as a 500.
/// </summary>
public sealed class ImageCodecFuzzTests
{
    private const int Seed = 20261128;
    private const int MutationsPerImage = 400;

    private static readonly IImageEncoder[] Encoders =
    [
        new PngEncoder(),
        new JpegEncoder(),
        new JpegEncoder { ColorType = JpegColorType.Luminance },
        new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
        new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
    ];

    private readonly ImageCodec codec = new(Options.Create(new ImageLimitsOptions()), Options.Create(new ImageEncodingOptions()));

    [Fact]
    public async Task DamagedImagesDecodeOrAreRejectedWithACode()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        foreach (var encoder in Encoders)
        {
            var original = Encode(encoder);
            for (var i = 0; i < MutationsPerImage; i++)
            {
                var (damaged, damage) = Damage(original, random);
                try
                {
                    using var image = await codec.DecodeAsync(new MemoryStream(damaged), CancellationToken.None);
                }
                catch (ImageRejectedException)
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{encoder.GetType().Name} #{i} ({damage}): {e.GetType().Name}: {e.Message}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static byte[] Encode(IImageEncoder encoder)
    {
        using var image = TestImages.Random(37, 23, seed: 7, opaque: true);
        return ImageBytes.Of(image, encoder);
    }

    private static (byte[] Bytes, string Damage) Damage(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var at = random.Next(bytes.Count);
        switch (random.Next(4))
        {
            case 0:
                for (var flips = random.Next(1, 9); flips > 0; flips--)
                {
                    var i = random.Next(bytes.Count);
                    bytes[i] ^= (byte)(1 << random.Next(8));
                }

                return ([.. bytes], "bits flipped");
            case 1:
                return (original[..Math.Max(1, at)], $"cut at {at}");
            case 2:
                var inserted = new byte[random.Next(1, 65)];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                return ([.. bytes], $"{inserted.Length} random bytes at {at}");
            default:
                var zeros = Math.Min(random.Next(1, 33), bytes.Count - at);
                bytes.RemoveRange(at, zeros);
                bytes.InsertRange(at, new byte[zeros]);
                return ([.. bytes], $"{zeros} bytes zeroed at {at}");
        }
    }
}
