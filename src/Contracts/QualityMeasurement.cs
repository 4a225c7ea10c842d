namespace LiteRestore.Contracts;

/// <summary>One measured number, e.g. PSNR at sigma 25, beside the classical reference measured on the same images.</summary>
public sealed record QualityMeasurement
{
    public required string Metric { get; init; }
    public required string Condition { get; init; }
    public required double Value { get; init; }
    public required string Reference { get; init; }
    public required double ReferenceValue { get; init; }
}
