using LiteRestore.Contracts;

namespace LiteRestore.LoadTest.Load;

/// <summary>What one series of the run drives: a network variant in one precision.</summary>
internal sealed record ModelChoice(ModelVariant Variant, ModelPrecision Precision)
{
    /// <summary>"baseline" in fp32, the served default; "baseline int8" otherwise.</summary>
    public string Label => Precision == ModelPrecision.Fp32
        ? WireNames.Of(Variant)
        : $"{WireNames.Of(Variant)} {WireNames.Of(Precision)}";
}
