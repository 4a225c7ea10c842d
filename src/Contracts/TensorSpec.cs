namespace LiteRestore.Contracts;

/// <summary>One tensor of the graph: NCHW float32, RGB in [0,1]; inpainting adds a mask channel (1 = hole).</summary>
public sealed record TensorSpec
{
    public required string Name { get; init; }
    public required int Channels { get; init; }
    public string Layout { get; init; } = "NCHW";
    public string ElementType { get; init; } = "float32";
}
