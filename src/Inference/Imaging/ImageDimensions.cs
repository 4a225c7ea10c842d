namespace LiteRestore.Inference;

/// <summary>An upload's size as it will be once decoded and turned upright by its EXIF orientation.</summary>
public readonly record struct ImageDimensions(int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}
