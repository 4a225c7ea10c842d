using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// One request cut into tiles of one <see cref="TileShape"/>: the batcher asks each tile to write its input and
/// hands back its output; once every tile is back, <see cref="Finish"/> assembles the restored image.
/// Calls for one plan are serialised by its <see cref="TiledRequest"/>.
/// </summary>
internal interface IRestorationPlan : IDisposable
{
    int TileCount { get; }

    /// <summary>The shape every tile of the plan has.</summary>
    TileShape Shape { get; }

    void WriteInput(int tile, Span<float> destination);

    void ReadOutput(int tile, ReadOnlySpan<float> output);

    /// <summary>The restored image, alpha carried over from the input; the caller owns it.</summary>
    Image<Rgba64> Finish();
}
