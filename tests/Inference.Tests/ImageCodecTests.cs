using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;
using LiteRestore.Tests.Shared;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class ImageCodecTests
{
    private readonly ImageCodec codec = Codec(new ImageLimitsOptions());

    public static TheoryData<string> UnsupportedFormats => new() { "gif", "bmp", "tiff" };

    [Theory]
    [MemberData(nameof(UnsupportedFormats))]
    public async Task FormatsOtherThanPngJpegAndWebpAreRejected(string format)
    {
        IImageEncoder encoder = format switch
        {
            "gif" => new GifEncoder(),
            "bmp" => new BmpEncoder(),
            _ => new TiffEncoder(),
        };
        using var image = new Image<Rgba32>(4, 4);

        var rejected = await Reject(ImageBytes.Of(image, encoder));

        Assert.Equal(ErrorCodes.MediaTypeUnsupported, rejected.Code);
    }

    [Fact]
    public async Task EmptyGarbageAndTruncatedUploadsAreRejected()
    {
        Assert.Equal(ErrorCodes.ImageInvalid, (await Reject([])).Code);
        Assert.Equal(ErrorCodes.MediaTypeUnsupported, (await Reject("not an image at all"u8.ToArray())).Code);
        var png = ImageBytes.Of(TestImages.Random(64, 64), new PngEncoder());
        Assert.Equal(ErrorCodes.ImageInvalid, (await Reject(png[..(png.Length / 2)])).Code);
    }

    public static TheoryData<string, byte[], string> MalformedImages => new()
    {
        { "a JPEG without its frame header", CorruptImages.JpegWithoutFrameHeader(), ErrorCodes.ImageInvalid },
        { "a JPEG without a scan", CorruptImages.JpegWithoutScan(), ErrorCodes.ImageInvalid },
        { "a WebP claiming 2 GB", CorruptImages.WebpClaimingTwoGigabytes(), ErrorCodes.ImageInvalid },
        { "a JPEG claiming 106 colour components", CorruptImages.JpegClaimingComponents(106), ErrorCodes.MediaTypeUnsupported },
        { "an arithmetic-coded JPEG", CorruptImages.ArithmeticCodedJpeg(), ErrorCodes.MediaTypeUnsupported },
    };

    [Theory]
    [MemberData(nameof(MalformedImages))]
    public async Task MalformedImagesThatBreakTheDecoderAreRejectedWithTheirCode(string description, byte[] image, string code)
    {
        var rejected = await Reject(image);

        Assert.True(rejected.Code == code, $"{description}: {rejected.Code}, {rejected.Message}");
    }

    [Theory]
    [InlineData(-1, 1)] // a 32-bit width of 2^32 - 1
    [InlineData(1, -1)]
    [InlineData(int.MinValue, 1)]
    public async Task AHeaderDeclaringANegativeSizeIsAnInvalidImage(int width, int height)
    {
        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            codec.IdentifyAsync(new MemoryStream(PngHeaderOnly(width, height)), CancellationToken.None));

        Assert.Equal(ErrorCodes.ImageInvalid, rejected.Code);
    }

    [Fact]
    public async Task DimensionsAreCappedFromTheHeaderBeforeDecoding()
    {
        var started = Stopwatch.GetTimestamp();

        var rejected = await Reject(PngHeaderOnly(60_000, 60_000));

        Assert.Equal(ErrorCodes.ImageTooLarge, rejected.Code);
        Assert.Contains("60000x60000", rejected.Message, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APngWhoseTextInflatesPastTheLimitIsRejectedBeforeDecoding()
    {
        var bomb = PngWithCompressedText(50 * 1024 * 1024);

        var rejected = await Reject(bomb);

        Assert.True(bomb.Length < 256 * 1024, $"{bomb.Length} bytes");
        Assert.Equal(ErrorCodes.ImageTooLarge, rejected.Code);
        Assert.Contains("inflated", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APngWithATextChunkWithinTheLimitDecodes()
    {
        using var image = await codec.DecodeAsync(new MemoryStream(PngWithCompressedText(16 * 1024)), CancellationToken.None);

        Assert.Equal((16, 16), (image.Width, image.Height));
    }

    [Fact]
    public async Task IdentifyReadsTheSizeFromTheHeaderAndRewinds()
    {
        using var stream = new MemoryStream(ImageBytes.Of(TestImages.Random(7, 3), new PngEncoder()));

        var dimensions = await codec.IdentifyAsync(stream, CancellationToken.None);

        Assert.Equal(new ImageDimensions(7, 3), dimensions);
        Assert.Equal(0, stream.Position);
        Assert.Equal(ErrorCodes.ImageTooLarge, (await Assert.ThrowsAsync<ImageRejectedException>(() =>
            codec.IdentifyAsync(new MemoryStream(PngHeaderOnly(60_000, 60_000)), CancellationToken.None))).Code);
    }

    [Theory]
    [InlineData(11, 5)]
    [InlineData(5, 11)]
    [InlineData(8, 8)]
    public async Task WidthHeightAndPixelCapsApply(int width, int height)
    {
        var small = Codec(new ImageLimitsOptions { MaxWidth = 10, MaxHeight = 10, MaxPixels = 60 });

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() =>
            small.DecodeAsync(new MemoryStream(ImageBytes.Of(TestImages.Random(width, height), new PngEncoder())), CancellationToken.None));

        Assert.Equal(ErrorCodes.ImageTooLarge, rejected.Code);
    }

    [Fact]
    public async Task ExifOrientationIsAppliedCappedAfterTurningAndStripped()
    {
        using var source = TestImages.Random(12, 3, opaque: true);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)ExifOrientationMode.RightTop);
        var bytes = ImageBytes.Of(source, new PngEncoder { BitDepth = PngBitDepth.Bit16 });
        var limited = Codec(new ImageLimitsOptions { MaxWidth = 4, MaxHeight = 12, MaxPixels = 36 });

        using var image = await limited.DecodeAsync(new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(new Size(3, 12), image.Size());
        // Turned 90 degrees clockwise: the source's top-left pixel ends at the top-right.
        Assert.Equal(source[0, 0], image[2, 0]);
        Assert.Equal(source[11, 2], image[0, 11]);
        Assert.Null(image.Metadata.ExifProfile);
    }

    [Fact]
    public async Task AlphaAnd16BitsSurviveDecodeAndEncode()
    {
        using var source = TestImages.Random(9, 7, seed: 5);

        using var decoded = await codec.DecodeAsync(new MemoryStream(ImageBytes.Of(source, new PngEncoder { BitDepth = PngBitDepth.Bit16 })), CancellationToken.None);
        Assert.Equal(TestImages.Pixels(source), TestImages.Pixels(decoded));

        using var encoded = new MemoryStream();
        await codec.EncodeAsync(decoded, ImageFormat.Png, encoded, CancellationToken.None);
        using var again = Image.Load<Rgba64>(encoded.ToArray());
        Assert.Equal(TestImages.Pixels(source), TestImages.Pixels(again));
    }

    [Fact]
    public async Task GreyscaleInputsDecodeToRgbAndComeBackAsGreyscaleFiles()
    {
        using var grey = new Image<L8>(3, 2);
        grey[1, 1] = new L8(200);
        grey[2, 0] = new L8(17);

        using var image = await codec.DecodeAsync(new NonSeekableStream(ImageBytes.Of(grey, new PngEncoder())), CancellationToken.None);

        Assert.Equal(new Rgba64(200 * 257, 200 * 257, 200 * 257, ushort.MaxValue), image[1, 1]);
        Assert.Equal(new Rgba64(17 * 257, 17 * 257, 17 * 257, ushort.MaxValue), image[2, 0]);
        Assert.Equal(PngColorType.Grayscale, (await Encoded(image, ImageFormat.Png)).Metadata.GetPngMetadata().ColorType);
        Assert.Equal(JpegColorType.Luminance, (await Encoded(image, ImageFormat.Jpeg)).Metadata.GetJpegMetadata().ColorType);
    }

    [Fact]
    public async Task ColourImagesComeBackAsColourFiles()
    {
        using var image = TestImages.Random(8, 8, opaque: true);

        Assert.Equal(PngColorType.Rgb, (await Encoded(image, ImageFormat.Png)).Metadata.GetPngMetadata().ColorType);
        Assert.NotEqual(JpegColorType.Luminance, (await Encoded(image, ImageFormat.Jpeg)).Metadata.GetJpegMetadata().ColorType);
    }

    [Theory]
    [InlineData(ImageFormat.Png, new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    [InlineData(ImageFormat.Jpeg, new byte[] { 0xFF, 0xD8 })]
    [InlineData(ImageFormat.Webp, new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F' })]
    public async Task EncodesEachOutputFormat(ImageFormat format, byte[] magic)
    {
        using var image = TestImages.Random(16, 16, opaque: true);
        using var encoded = new MemoryStream();

        await codec.EncodeAsync(image, format, encoded, CancellationToken.None);

        Assert.Equal(magic, encoded.ToArray()[..magic.Length]);
        using var decoded = await codec.DecodeAsync(new MemoryStream(encoded.ToArray()), CancellationToken.None);
        Assert.Equal(image.Size(), decoded.Size());
    }

    [Fact]
    public async Task PngResultsAreLosslessAtTheConfiguredCompressionLevel()
    {
        using var image = new Image<Rgba64>(64, 64);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    // 8-bit levels, as an 8-bit PNG keeps them
                    row[x] = new Rgba64((ushort)(x * 4 * 257), (ushort)(y * 4 * 257), (ushort)((x ^ y) * 257), ushort.MaxValue);
                }
            }
        });

        var sizes = new List<long>();
        foreach (var level in new[] { 1, 9 })
        {
            using var encoded = new MemoryStream();
            await Codec(new ImageLimitsOptions(), new ImageEncodingOptions { PngCompressionLevel = level }).EncodeAsync(image, ImageFormat.Png, encoded, CancellationToken.None);
            using var decoded = Image.Load<Rgba64>(encoded.ToArray());
            Assert.Equal(TestImages.Pixels(image), TestImages.Pixels(decoded));
            sizes.Add(encoded.Length);
        }

        Assert.True(sizes[1] < sizes[0], $"level 9 wrote {sizes[1]} bytes, level 1 {sizes[0]}");
    }

    private static ImageCodec Codec(ImageLimitsOptions limits, ImageEncodingOptions? encoding = null) =>
        new(Options.Create(limits), Options.Create(encoding ?? new ImageEncodingOptions()));

    private async Task<IImageInfo> Encoded(Image<Rgba64> image, ImageFormat format)
    {
        using var encoded = new MemoryStream();
        await codec.EncodeAsync(image, format, encoded, CancellationToken.None);
        return Image.Identify(encoded.ToArray(), out _);
    }

    private async Task<ImageRejectedException> Reject(byte[] bytes) =>
        await Assert.ThrowsAsync<ImageRejectedException>(() => codec.DecodeAsync(new MemoryStream(bytes), CancellationToken.None));

    /// <summary>A PNG signature and IHDR chunk announcing a huge image, and nothing else: decoding it would need gigabytes.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", header)];
    }

    /// <summary>A 16x16 PNG with a zTXt chunk, right after its header, whose text inflates to <paramref name="textBytes"/> bytes.</summary>
    private static byte[] PngWithCompressedText(int textBytes)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(new byte[textBytes]);
        }

        var png = ImageBytes.Of(TestImages.Random(16, 16), new PngEncoder());
        const int afterHeader = 8 + 4 + 4 + 13 + 4;
        byte[] text = [.. "Comment"u8, 0, 0, .. compressed.ToArray()];
        return [.. png.AsSpan(0, afterHeader), .. Chunk("zTXt", text), .. png.AsSpan(afterHeader)];
    }

    /// <summary>One PNG chunk: length, type, data and CRC.</summary>
    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        return [.. length, .. typed, .. crc];
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
