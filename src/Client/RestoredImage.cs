using LiteRestore.Contracts;

namespace LiteRestore.Client;

/// <summary>A restored image and what its answer said about how it was made.</summary>
public sealed record RestoredImage
{
    /// <summary>The encoded image.</summary>
    public required ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>Its media type: image/png, image/jpeg or image/webp.</summary>
    public required string ContentType { get; init; }

    /// <summary>The model that restored it.</summary>
    public required string ModelId { get; init; }

    /// <summary>The model's variant.</summary>
    public ModelVariant? Variant { get; init; }

    /// <summary>The precision its graph ran in.</summary>
    public ModelPrecision? Precision { get; init; }

    /// <summary>cuda or cpu (cuda+cpu when some batches fell back to the CPU).</summary>
    public string? Provider { get; init; }

    /// <summary>The <c>Server-Timing</c> spans (decode, queue, infer, encode, total, batches).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ServerTiming { get; init; } = new Dictionary<string, TimeSpan>();
}
