using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// One restoration. For inpainting, <paramref name="Mask"/> marks the hole in white (same size as the image);
/// without a mask, transparent pixels of <paramref name="Image"/> (alpha below one half) mark it.
/// <paramref name="Progress"/> hears the tile count once the work is planned, then each tile done, on the thread that
/// finished it: it must be quick and must not call back into the engine. A <paramref name="Background"/> job (nobody
/// waits for its answer) is promised room in the queue but no longest wait, and so never turns others away.
/// <paramref name="Precision"/> picks which of the model's graphs runs it.
/// </summary>
public sealed record RestorationJob(
    string ModelId, Image<Rgba64> Image, Image<Rgba64>? Mask = null, IProgress<TileProgress>? Progress = null, bool Background = false,
    ModelPrecision Precision = ModelPrecision.Fp32)
{
    public ModelKey Model => new(ModelId, Precision);
}
