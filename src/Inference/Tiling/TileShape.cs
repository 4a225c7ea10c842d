namespace LiteRestore.Inference;

/// <summary>
/// The tensor geometry of one tile: input InputChannels x Height x Width, output OutputChannels x (Height·Scale) x
/// (Width·Scale). A model's native shape is its card's square tile; CPU sessions also run tiles sized per request.
/// </summary>
internal readonly record struct TileShape(int InputChannels, int OutputChannels, int Width, int Height, int Scale)
{
    public int OutputWidth => Width * Scale;

    public int OutputHeight => Height * Scale;

    public long Pixels => (long)Width * Height;

    public int InputLength => InputChannels * Width * Height;

    public int OutputLength => OutputChannels * OutputWidth * OutputHeight;

    /// <summary>The square native tile of <paramref name="size"/>.</summary>
    public static TileShape Square(int inputChannels, int outputChannels, int size, int scale) =>
        new(inputChannels, outputChannels, size, size, scale);

    public long[] InputDimensions(int batch) => [batch, InputChannels, Height, Width];

    public long[] OutputDimensions(int batch) => [batch, OutputChannels, OutputHeight, OutputWidth];
}
