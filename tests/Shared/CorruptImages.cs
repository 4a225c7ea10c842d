using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Tests.Shared;

/// <summary>
/// Valid images with one field of their headers broken, each reproducing a kind of failure that fuzzing the endpoints
/// found in ImageSharp's decoders.
/// </summary>
internal static class CorruptImages
{
    private const byte FrameHeader = 0xC0; // SOF0, a baseline Huffman-coded frame
    private const byte ArithmeticFrameHeader = 0xC9; // SOF9, an arithmetic-coded frame
    private const byte StartOfScan = 0xDA; // SOS: the entropy-coded data follows
    private const byte EndOfImage = 0xD9; // EOI
    private const byte ApplicationSegment = 0xE5; // APP5, which decoders skip
    private const int FrameComponentCountOffset = 9; // marker (2), length (2), precision (1), height (2), width (2)
    private const int WebpChunkSizeOffset = 16; // "RIFF", size, "WEBP", the chunk's four-character code

    public static byte[] JpegClaimingComponents(byte count) => Jpeg(bytes => bytes[Segment(bytes, FrameHeader) + FrameComponentCountOffset] = count);

    public static byte[] ArithmeticCodedJpeg() => Jpeg(bytes => bytes[Segment(bytes, FrameHeader) + 1] = ArithmeticFrameHeader);

    /// <summary>A JPEG whose frame header is disguised as an application segment, so that it has no frame.</summary>
    public static byte[] JpegWithoutFrameHeader() => Jpeg(bytes => bytes[Segment(bytes, FrameHeader) + 1] = ApplicationSegment);

    /// <summary>A JPEG that ends where its scan should start: headers and tables, but no image data.</summary>
    public static byte[] JpegWithoutScan()
    {
        var bytes = Encode(new JpegEncoder());
        return [.. bytes[..Segment(bytes, StartOfScan)], 0xFF, EndOfImage];
    }

    /// <summary>A lossy WebP whose image chunk claims more than 2 GB.</summary>
    public static byte[] WebpClaimingTwoGigabytes()
    {
        var bytes = Encode(new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(WebpChunkSizeOffset), 0x8000_0080);
        return bytes;
    }

    private static byte[] Jpeg(Action<byte[]> breakIt)
    {
        var bytes = Encode(new JpegEncoder());
        breakIt(bytes);
        return bytes;
    }

    private static byte[] Encode(SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var image = new Image<Rgb24>(16, 16, new Rgb24(200, 120, 40));
        return ImageBytes.Of(image, encoder);
    }

    /// <summary>Where the first segment with this marker starts, walking the segments up to the scan; -1 if none.</summary>
    private static int Segment(byte[] jpeg, byte marker)
    {
        for (var at = 2; at + 3 < jpeg.Length && jpeg[at] == 0xFF; at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2)))
        {
            if (jpeg[at + 1] == marker)
            {
                return at;
            }

            if (jpeg[at + 1] == StartOfScan)
            {
                break;
            }
        }

        return -1;
    }
}
