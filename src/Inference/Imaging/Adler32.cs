namespace LiteRestore.Inference;

/// <summary>
/// The Adler-32 checksum that ends a zlib stream (RFC 1950), with the combination of two parts' checksums that lets
/// bands of a PNG be deflated apart and still carry the checksum of the whole.
/// </summary>
internal static class Adler32
{
    public const uint Initial = 1;

    private const uint Modulus = 65521;

    // The most bytes whose sums cannot overflow 32 bits before the modulus is taken (zlib's NMAX).
    private const int BlockLength = 5552;

    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(BlockLength, data.Length)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }

    /// <summary>The checksum of A followed by B, from A's and B's checksums and B's length.</summary>
    public static uint Combine(uint first, uint second, long secondLength)
    {
        var remainder = (ulong)(secondLength % Modulus);
        var a = ((first & 0xFFFF) + (second & 0xFFFF) + Modulus - 1) % Modulus;
        var b = (remainder * (first & 0xFFFF) + (first >> 16) + (second >> 16) + Modulus - remainder) % Modulus;
        return (uint)((b << 16) | a);
    }
}
