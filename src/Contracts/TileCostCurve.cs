namespace LiteRestore.Contracts;

/// <summary>One precision's cost per pixel at each measured square tile side, smallest first.</summary>
public sealed record TileCostCurve(ModelPrecision Precision, IReadOnlyList<TileCostPoint> Points);
