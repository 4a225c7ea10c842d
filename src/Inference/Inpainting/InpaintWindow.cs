using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>
/// One tile of an inpainting request: a square of <see cref="Side"/> image pixels at (<see cref="Left"/>,
/// <see cref="Top"/>), reflected past the image edge and scaled to the model's working size when it is larger. It
/// fills the hole pixels of <see cref="Owner"/> that lie in <see cref="Core"/>; the rest of it is context.
/// </summary>
internal readonly record struct InpaintWindow(int Owner, int Left, int Top, int Side, Rectangle Core);
