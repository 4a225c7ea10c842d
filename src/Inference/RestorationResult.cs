using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// The restored image (alpha carried over from the input) and where the time went: <paramref name="QueueWait"/> and
/// <paramref name="Inference"/> are consecutive wall-clock spans of the request; <paramref name="BatchTime"/> adds up
/// the batches that ran its tiles, which exceeds <paramref name="Inference"/> when sessions ran them side by side.
/// </summary>
public sealed record RestorationResult(
    Image<Rgba64> Image,
    string ModelId,
    string Provider,
    int Tiles,
    TimeSpan QueueWait,
    TimeSpan Inference,
    TimeSpan BatchTime);
