using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>What names one served model: a card's id and the precision its graph runs in.</summary>
public readonly record struct ModelKey(string Id, ModelPrecision Precision = ModelPrecision.Fp32)
{
    /// <summary>The id alone for fp32, the served default; the precision beside it otherwise, e.g. <c>denoise-baseline (int8)</c>.</summary>
    public override string ToString() => Precision == ModelPrecision.Fp32 ? Id : $"{Id} ({WireNames.Of(Precision)})";
}
