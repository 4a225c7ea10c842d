using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// Walks a PNG's chunks before it is decoded and adds up what its text, EXIF and ICC chunks hold once inflated, stopping
/// at the limit: a zTXt chunk of 48 KB that inflates to 50 MB is rejected after inflating a few MB rather than after
/// the decoder has inflated all of it. Chunk data is skipped by seeking, so a clean PNG costs a few reads.
/// </summary>
internal static class PngMetadataGuard
{
    private const int SignatureLength = 8;
    private const int ChunkHeaderLength = 8;
    private const int CrcLength = 4;
    private const int InflateBlock = 64 * 1024;

    /// <summary>Bytes a zlib stream may hold beyond what it inflates to (headers and stored blocks' framing).</summary>
    private const int DeflateSlack = 1024;

    private static readonly HashSet<string> PlainChunks = ["tEXt", "eXIf"];
    private static readonly HashSet<string> CompressedChunks = ["zTXt", "iCCP", "iTXt"];

    /// <summary>Throws <see cref="ImageRejectedException"/> when the metadata exceeds <paramref name="maxBytes"/>; leaves the stream where it was.</summary>
    public static void Check(Stream stream, int maxBytes)
    {
        var start = stream.Position;
        try
        {
            var total = 0L;
            stream.Position = start + SignatureLength;
            Span<byte> header = stackalloc byte[ChunkHeaderLength];
            while (stream.ReadAtLeast(header, ChunkHeaderLength, throwOnEndOfStream: false) == ChunkHeaderLength)
            {
                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                var type = Encoding.ASCII.GetString(header[4..]);
                var dataStart = stream.Position;
                total += MetadataLength(stream, type, length, maxBytes - total);
                if (total > maxBytes)
                {
                    throw new ImageRejectedException(ErrorCodes.ImageTooLarge,
                        $"The PNG's text, EXIF and colour-profile chunks hold more than {maxBytes} bytes once inflated.");
                }

                if (type == "IEND")
                {
                    return;
                }

                stream.Position = dataStart + length + CrcLength;
            }
        }
        catch (EndOfStreamException)
        {
            // A truncated chunk: the decoder reports the image as it finds it.
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>How many bytes of metadata the chunk holds: none for image data, its length or what it inflates to for text.</summary>
    private static long MetadataLength(Stream stream, string type, uint length, long allowed) =>
        PlainChunks.Contains(type) ? length
        : CompressedChunks.Contains(type) ? InflatedLength(stream, type, length, allowed)
        : 0;

    /// <summary>The chunk's bytes once its compressed part is inflated, counted only up to just past <paramref name="allowed"/>.</summary>
    private static long InflatedLength(Stream stream, string type, uint length, long allowed)
    {
        if (length > allowed + DeflateSlack)
        {
            return length;
        }

        var data = new byte[length];
        stream.ReadExactly(data);
        var compressed = CompressedPart(data, type);
        if (compressed < 0 || compressed > data.Length)
        {
            return length;  // uncompressed iTXt, or a malformed chunk the decoder will judge
        }

        using var inflater = new ZLibStream(new MemoryStream(data, compressed, data.Length - compressed), CompressionMode.Decompress);
        var block = new byte[InflateBlock];
        var inflated = (long)compressed;
        try
        {
            int read;
            while (inflated <= allowed && (read = inflater.Read(block)) > 0)
            {
                inflated += read;
            }
        }
        catch (InvalidDataException)
        {
            // Broken zlib data: the decoder reports the image as it finds it; what inflated so far is counted.
        }

        return inflated;
    }

    /// <summary>Where the zlib data starts in a chunk's data, or -1 where there is none.</summary>
    private static int CompressedPart(byte[] data, string type)
    {
        var keywordEnd = Array.IndexOf(data, (byte)0);
        if (keywordEnd < 0)
        {
            return -1;
        }

        if (type != "iTXt")
        {
            return keywordEnd + 2;  // keyword, NUL, compression method
        }

        // keyword, NUL, compression flag, compression method, language tag, NUL, translated keyword, NUL
        if (keywordEnd + 2 >= data.Length || data[keywordEnd + 1] == 0)
        {
            return -1;
        }

        var languageEnd = Array.IndexOf(data, (byte)0, keywordEnd + 3);
        var translatedEnd = languageEnd < 0 ? -1 : Array.IndexOf(data, (byte)0, languageEnd + 1);
        return translatedEnd < 0 ? -1 : translatedEnd + 1;
    }
}
