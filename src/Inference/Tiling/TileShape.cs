namespace LiteRestore.Inference;

/// <summary>The tensor geometry of one tile of a model: input is InputChannels x Size², output OutputChannels x (Size·Scale)².</summary>
internal readonly record struct TileShape(int InputChannels, int OutputChannels, int Size, int Scale)
{
    public int OutputSize => Size * Scale;

    public int InputLength => InputChannels * Size * Size;

    public int OutputLength => OutputChannels * OutputSize * OutputSize;
}
