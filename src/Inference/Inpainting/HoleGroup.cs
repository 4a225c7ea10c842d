using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>Nearby small holes that share a single window, and the bounds that window must cover.</summary>
internal sealed class HoleGroup(int owner, Rectangle bounds)
{
    public int Owner { get; } = owner;

    public Rectangle Bounds { get; set; } = bounds;
}
