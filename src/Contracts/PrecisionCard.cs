namespace LiteRestore.Contracts;

/// <summary>
/// One more precision of a model's network: its own graph file beside the fp32 one, how much of it is quantised, what
/// that costs on the validation set and the parity fixture, and what it saves in time.
/// </summary>
public sealed record PrecisionCard
{
    public required ModelPrecision Precision { get; init; }

    /// <summary>ONNX file name, relative to the card's folder.</summary>
    public required string File { get; init; }

    /// <summary>The parity fixture of this graph (input and expected output), relative to the card's folder.</summary>
    public required string Parity { get; init; }

    public required long FileBytes { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>
    /// Convolutions that run in int8, the PReLUs' slope convolutions among them; the rest run in fp32: those that read
    /// the image, a denoiser's last one, and PReLUs that stay fp32 (training/lrtrain/int8_plan.py).
    /// </summary>
    public required int QuantisedConvolutions { get; init; }
    public required int Fp32Convolutions { get; init; }

    /// <summary>The largest difference from the fp32 model's output allowed on the fp32 parity fixture.</summary>
    public required double ParityToleranceAgainstFp32 { get; init; }

    /// <summary>The training log's validation scores (validation.py) of the fp32 model and of this one, by score name.</summary>
    public IReadOnlyDictionary<string, PrecisionComparison> Validation { get; init; } = new Dictionary<string, PrecisionComparison>();

    /// <summary>Its speed against fp32 where it was measured; absent where the quantiser could not run the benchmark.</summary>
    public PrecisionSpeed? Speed { get; init; }
}
