using System.Diagnostics.CodeAnalysis;

namespace LiteRestore.Contracts;

/// <summary>One validation score of a model in fp32 and in int8.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The scores are named for their precisions.")]
public sealed record PrecisionComparison(double Fp32, double Int8);
