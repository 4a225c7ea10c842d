namespace LiteRestore.Contracts;

/// <summary>
/// Native tile in input pixels. Denoise and super-resolve cut images into <see cref="Size"/>² tiles overlapping by
/// <see cref="Overlap"/>; inpainting works on one <see cref="Size"/>² window around the hole, keeping at least
/// <see cref="ContextMargin"/> pixels of context around the mask's bounding box.
/// </summary>
public sealed record TileSpec
{
    public required int Size { get; init; }
    public required int Overlap { get; init; }
    public int ContextMargin { get; init; }
}
