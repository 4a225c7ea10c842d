using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>Holes filled by the same windows: one large hole, or nearby small ones that share a single window.</summary>
internal sealed class HoleGroup(int owner, Rectangle bounds, bool small)
{
    public int Owner { get; } = owner;

    public Rectangle Bounds { get; set; } = bounds;

    public bool Small { get; } = small;
}
