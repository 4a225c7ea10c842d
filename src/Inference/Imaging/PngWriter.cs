using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// Writes PNG results on every core. PNG's pixels are one zlib stream, but deflate can end a part with a sync flush
/// (byte-aligned, not final) and go on in a fresh one: so bands of rows are filtered and deflated apart, in parallel,
/// and joined, their checksums combined. ImageSharp 2.1's encoder deflates on one core in managed code; for a 1024²
/// photograph it took about 190 ms at level 3, 14 % of what restoring it with denoise-lightweight took.
/// </summary>
internal static class PngWriter
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] HeaderChunk = "IHDR"u8.ToArray();
    private static readonly byte[] DataChunk = "IDAT"u8.ToArray();
    private static readonly byte[] EndChunk = "IEND"u8.ToArray();

    // Fewer rows than this a band are not worth a thread: a sync flush and a thread's start cost more than they save.
    private const int MinRowsPerBand = 64;

    // zlib's header for a 32 KiB window and deflate (RFC 1950), with the check bits that make it a multiple of 31.
    private const ushort ZlibHeader = 0x7801;

    /// <summary>
    /// Writes <paramref name="image"/> in <paramref name="layout"/> at zlib level <paramref name="compressionLevel"/>, in
    /// up to <paramref name="maxBands"/> bands deflated at once (default: one per core).
    /// </summary>
    public static async Task WriteAsync(Image<Rgba64> image, PngLayout layout, int compressionLevel, Stream destination,
        CancellationToken cancellationToken, int? maxBands = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var bands = Math.Clamp(image.Height / MinRowsPerBand, 1, maxBands ?? Environment.ProcessorCount);
        var parts = new Band[bands];
        var pixels = image.Frames.RootFrame;
        Parallel.For(0, bands, new ParallelOptions { CancellationToken = cancellationToken }, band =>
        {
            var first = (int)((long)image.Height * band / bands);
            var end = (int)((long)image.Height * (band + 1) / bands);
            parts[band] = Deflate(pixels, layout, first, end, compressionLevel, last: band == bands - 1);
        });

        await destination.WriteAsync(Signature, cancellationToken);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = layout.BitDepth;
        header[9] = layout.ColourType;
        header[10] = header[11] = header[12] = 0; // deflate, per-row filters, no interlace
        await WriteChunkAsync(destination, HeaderChunk, header, default, cancellationToken);

        // The zlib stream's Adler-32 trailer ends the last band's chunk.
        var adler = Adler32.Initial;
        for (var band = 0; band < bands; band++)
        {
            adler = Adler32.Combine(adler, parts[band].Adler, parts[band].Length);
            var trailer = band == bands - 1 ? BigEndian(adler) : ReadOnlyMemory<byte>.Empty;
            await WriteChunkAsync(destination, DataChunk, parts[band].Deflated, trailer, cancellationToken);
        }

        await WriteChunkAsync(destination, EndChunk, default, default, cancellationToken);
    }

    /// <summary>Rows <paramref name="first"/> to <paramref name="end"/>, filtered and deflated; all but the last band end in a sync flush.</summary>
    private static Band Deflate(ImageFrame<Rgba64> pixels, PngLayout layout, int first, int end, int compressionLevel, bool last)
    {
        var stride = pixels.Width * layout.BytesPerPixel;
        var above = new byte[stride];
        var row = new byte[stride];
        var filtered = new byte[stride + 1];
        if (first > 0)
        {
            Pack(pixels.DangerousGetPixelRowMemory(first - 1).Span, layout, above);
        }

        var output = new MemoryStream();
        if (first == 0)
        {
            Span<byte> zlibHeader = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(zlibHeader, ZlibHeader);
            output.Write(zlibHeader);
        }

        var adler = Adler32.Initial;
        long flushedLength;
        using (var deflate = new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = compressionLevel }, leaveOpen: true))
        {
            for (var y = first; y < end; y++)
            {
                Pack(pixels.DangerousGetPixelRowMemory(y).Span, layout, row);
                filtered[0] = PaethFilter.Type;
                PaethFilter.Apply(row, above, layout.BytesPerPixel, filtered.AsSpan(1));
                deflate.Write(filtered);
                adler = Adler32.Update(adler, filtered);
                (above, row) = (row, above);
            }

            deflate.Flush();
            flushedLength = output.Length;
        }

        // Disposing wrote a final empty block; only the last band keeps it.
        var length = last ? output.Length : flushedLength;
        return new Band(new ReadOnlyMemory<byte>(output.GetBuffer(), 0, (int)length), adler, (long)(end - first) * (stride + 1));
    }

    /// <summary>One row's samples in PNG order, big-endian at 16 bits; 8-bit samples rounded as ImageSharp rounds them.</summary>
    private static void Pack(ReadOnlySpan<Rgba64> source, PngLayout layout, Span<byte> row)
    {
        var at = 0;
        foreach (var pixel in source)
        {
            if (layout.Colour)
            {
                Sample(pixel.R, layout, row, ref at);
                Sample(pixel.G, layout, row, ref at);
                Sample(pixel.B, layout, row, ref at);
            }
            else
            {
                Sample(pixel.R, layout, row, ref at);
            }

            if (layout.Alpha)
            {
                Sample(pixel.A, layout, row, ref at);
            }
        }
    }

    private static void Sample(ushort value, PngLayout layout, Span<byte> row, ref int at)
    {
        if (layout.SixteenBit)
        {
            BinaryPrimitives.WriteUInt16BigEndian(row[at..], value);
            at += 2;
        }
        else
        {
            row[at++] = (byte)(((value * 255) + 32895) >> 16);
        }
    }

    /// <summary>A chunk whose data is <paramref name="data"/> followed by <paramref name="after"/>.</summary>
    private static async Task WriteChunkAsync(Stream destination, ReadOnlyMemory<byte> type, ReadOnlyMemory<byte> data,
        ReadOnlyMemory<byte> after, CancellationToken cancellationToken)
    {
        var crc = new Crc32();
        crc.Append(type.Span);
        crc.Append(data.Span);
        crc.Append(after.Span);
        await destination.WriteAsync(BigEndian((uint)(data.Length + after.Length)), cancellationToken);
        await destination.WriteAsync(type, cancellationToken);
        await destination.WriteAsync(data, cancellationToken);
        await destination.WriteAsync(after, cancellationToken);
        await destination.WriteAsync(BigEndian(crc.GetCurrentHashAsUInt32()), cancellationToken);
    }

    /// <summary>PNG's and zlib's byte order for a 4-byte word.</summary>
    private static byte[] BigEndian(uint value)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, value);
        return word;
    }

    private readonly record struct Band(ReadOnlyMemory<byte> Deflated, uint Adler, long Length);
}
