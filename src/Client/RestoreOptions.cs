using LiteRestore.Contracts;

namespace LiteRestore.Client;

/// <summary>What a restoration asks for beyond its image; unset choices take the service's defaults.</summary>
public sealed record RestoreOptions
{
    /// <summary>Which network runs: baseline or lightweight (the service's default: lightweight).</summary>
    public ModelVariant? Variant { get; init; }

    /// <summary>The arithmetic it runs in: fp32 (the default), or int8 where the model offers it.</summary>
    public ModelPrecision? Precision { get; init; }

    /// <summary>The encoding of the answer (the default: PNG).</summary>
    public ImageFormat? Format { get; init; }

    /// <summary>For inpainting: the hole, same size as the image, white where pixels are to be filled; empty: none.</summary>
    public ReadOnlyMemory<byte>? Mask { get; init; }
}
