namespace LiteRestore.Contracts;

/// <summary>
/// The card of one model: <c>models/&lt;id&gt;/model.json</c>, written by <c>training/</c> on export.
/// Everything the service needs to run a model comes from here. JSON uses camelCase property names.
/// </summary>
public sealed record ModelCard
{
    public required string Id { get; init; }
    public required RestorationTask Task { get; init; }
    public required ModelVariant Variant { get; init; }

    /// <summary>Human-readable description of the architecture.</summary>
    public required string Network { get; init; }

    /// <summary>ONNX file name, relative to the card's folder.</summary>
    public required string File { get; init; }

    /// <summary>Output size / input size: 1 for denoise and inpaint, 4 for super-resolve.</summary>
    public required int Scale { get; init; }

    public required TensorSpec Input { get; init; }
    public required TensorSpec Output { get; init; }
    public required TileSpec Tile { get; init; }

    /// <summary>When true the network predicts the residual: restored = input - output.</summary>
    public required bool Residual { get; init; }

    public required long Parameters { get; init; }
    public required long MacsPerOutputPixel { get; init; }
    public required long FileBytes { get; init; }
    public required string Sha256 { get; init; }

    public required TrainingProvenance Training { get; init; }

    /// <summary>Quality on the validation set, each beside the classical reference it is compared with.</summary>
    public IReadOnlyList<QualityMeasurement> Quality { get; init; } = [];

    /// <summary>The same network in other precisions than the fp32 of <see cref="File"/> (<c>training/run quantize</c>).</summary>
    public IReadOnlyList<PrecisionCard> Precisions { get; init; } = [];

    /// <summary>The graph file of <paramref name="precision"/>, or null where the card offers none.</summary>
    public string? FileOf(ModelPrecision precision) => precision == ModelPrecision.Fp32
        ? File
        : Precisions.FirstOrDefault(p => p.Precision == precision)?.File;
}

/// <summary>One tensor of the graph: NCHW float32, RGB in [0,1]; inpainting adds a mask channel (1 = hole).</summary>
public sealed record TensorSpec
{
    public required string Name { get; init; }
    public required int Channels { get; init; }
    public string Layout { get; init; } = "NCHW";
    public string ElementType { get; init; } = "float32";
}

/// <summary>
/// Native tile in input pixels. Denoise and super-resolve cut images into <see cref="Size"/>² tiles overlapping by
/// <see cref="Overlap"/>; inpainting works on one <see cref="Size"/>² window around the hole, keeping at least
/// <see cref="ContextMargin"/> pixels of context around the mask's bounding box.
/// </summary>
public sealed record TileSpec
{
    public required int Size { get; init; }
    public required int Overlap { get; init; }
    public int ContextMargin { get; init; }
}

public sealed record TrainingProvenance
{
    public required string Data { get; init; }
    public required long Steps { get; init; }
    public required double WallSeconds { get; init; }
    public required int Seed { get; init; }
    public required string CodeRevision { get; init; }
    public required string Device { get; init; }

    /// <summary>Precision of the training steps: <c>fp32</c>, or <c>bf16</c> for bfloat16 autocast.</summary>
    public string? Precision { get; init; }

    /// <summary>The exported model training continued from (file and hash), when it did not start at random.</summary>
    public string? WarmStart { get; init; }
}

/// <summary>One measured number, e.g. PSNR at sigma 25, beside the classical reference measured on the same images.</summary>
public sealed record QualityMeasurement
{
    public required string Metric { get; init; }
    public required string Condition { get; init; }
    public required double Value { get; init; }
    public required string Reference { get; init; }
    public required double ReferenceValue { get; init; }
}
