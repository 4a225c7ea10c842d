namespace LiteRestore.Inference;

/// <summary>Where a batch's tiles are written before a run and read after it.</summary>
internal interface ITileBuffers
{
    Span<float> InputTile(int index);

    ReadOnlySpan<float> OutputTile(int index);
}
