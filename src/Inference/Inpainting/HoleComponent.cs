using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>
/// One 8-connected region of missing pixels: its bounding box, and its depth, the largest chessboard distance from
/// any of its pixels to the nearest known pixel (1 for a one-pixel-wide stroke).
/// </summary>
internal readonly record struct HoleComponent(Rectangle Bounds, int Depth);
