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
