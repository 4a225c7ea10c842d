namespace LiteRestore.Inference;

/// <summary>What a PNG result stores per pixel: grey or colour, with or without alpha, in 8 or 16 bits a sample.</summary>
internal readonly record struct PngLayout(bool Colour, bool Alpha, bool SixteenBit)
{
    /// <summary>The IHDR colour type: 0 grey, 2 RGB, 4 grey with alpha, 6 RGB with alpha.</summary>
    public byte ColourType => (byte)((Colour ? 2 : 0) | (Alpha ? 4 : 0));

    public int Channels => (Colour ? 3 : 1) + (Alpha ? 1 : 0);

    public int BytesPerPixel => Channels * (SixteenBit ? 2 : 1);

    public byte BitDepth => SixteenBit ? (byte)16 : (byte)8;
}
