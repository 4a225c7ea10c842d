using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using LiteRestore.Inference.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class PngWriterTests
{
    // 67 px rows are no multiple of a vector's width; 150 rows make two bands of at least 64 rows.
    private const int Width = 67;
    private const int Height = 150;

    public static TheoryData<bool, bool, bool> Layouts()
    {
        var layouts = new TheoryData<bool, bool, bool>();
        foreach (var colour in new[] { false, true })
        {
            foreach (var alpha in new[] { false, true })
            {
                foreach (var sixteenBit in new[] { false, true })
                {
                    layouts.Add(colour, alpha, sixteenBit);
                }
            }
        }

        return layouts;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task EveryLayoutDecodesToTheSamplesItWasGiven(bool colour, bool alpha, bool sixteenBit)
    {
        var layout = new PngLayout(colour, alpha, sixteenBit);
        using var image = TestImages.Random(Width, Height, opaque: !alpha);
        if (!colour)
        {
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    foreach (ref var pixel in rows.GetRowSpan(y))
                    {
                        pixel = new Rgba64(pixel.R, pixel.R, pixel.R, pixel.A);
                    }
                }
            });
        }

        var bytes = await WriteAsync(image, layout, bands: 2);
        using var decoded = Image.Load<Rgba64>(bytes);

        var png = Image.Identify(bytes, out _).Metadata.GetPngMetadata();
        Assert.Equal(sixteenBit ? PngBitDepth.Bit16 : PngBitDepth.Bit8, png.BitDepth);
        Assert.Equal((colour, alpha) switch
        {
            (true, true) => PngColorType.RgbWithAlpha,
            (true, false) => PngColorType.Rgb,
            (false, true) => PngColorType.GrayscaleWithAlpha,
            (false, false) => PngColorType.Grayscale,
        }, png.ColorType);
        Assert.Equal(TestImages.Pixels(image).Select(p => Stored(p, sixteenBit)), TestImages.Pixels(decoded));
    }

    [Fact]
    public async Task BandsDeflatedApartJoinIntoOneStreamWithTheChecksumOfTheWhole()
    {
        const int tallHeight = 400;
        var layout = new PngLayout(Colour: true, Alpha: false, SixteenBit: false);
        using var image = TestImages.Random(Width, tallHeight, opaque: true);

        var chunks = Chunks(await WriteAsync(image, layout, bands: 4));

        Assert.All(chunks, chunk => Assert.True(chunk.CrcMatches, $"{chunk.Type}'s CRC"));
        var idat = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        Assert.Equal(4, chunks.Count(c => c.Type == "IDAT"));
        // zlib checks the stream's Adler-32 at its end and throws where it does not match.
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(tallHeight * (1 + (Width * layout.BytesPerPixel)), inflated.Length);
    }

    [Fact]
    public void TwoPartsChecksumsCombineIntoTheChecksumOfBoth()
    {
        var data = new byte[20_000];
        new Random(3).NextBytes(data);
        var first = data.AsSpan(0, 7_001);
        var second = data.AsSpan(7_001);

        var combined = Adler32.Combine(Adler32.Update(Adler32.Initial, first), Adler32.Update(Adler32.Initial, second), second.Length);

        Assert.Equal(Adler32.Update(Adler32.Initial, data), combined);
    }

    /// <summary>The pixel as a decoder gives it back: 8-bit samples rounded as ImageSharp rounds them, grey as grey.</summary>
    private static Rgba64 Stored(Rgba64 pixel, bool sixteenBit)
    {
        ushort Sample(ushort value) => sixteenBit ? value : (ushort)((((value * 255) + 32895) >> 16) * 257);
        return new Rgba64(Sample(pixel.R), Sample(pixel.G), Sample(pixel.B), Sample(pixel.A));
    }

    private static async Task<byte[]> WriteAsync(Image<Rgba64> image, PngLayout layout, int bands)
    {
        using var stream = new MemoryStream();
        await PngWriter.WriteAsync(image, layout, compressionLevel: 3, stream, CancellationToken.None, bands);
        return stream.ToArray();
    }

    private static List<(string Type, byte[] Data, bool CrcMatches)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[], bool)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typeAndData = png.AsSpan(at + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            chunks.Add((System.Text.Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray(), Crc32.HashToUInt32(typeAndData) == crc));
            at += 12 + length;
        }

        return chunks;
    }
}
