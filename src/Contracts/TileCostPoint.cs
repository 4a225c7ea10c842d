namespace LiteRestore.Contracts;

/// <summary>Microseconds one CPU session took per input pixel of a square tile of <paramref name="Side"/> px.</summary>
public sealed record TileCostPoint(int Side, double MicrosecondsPerPixel);
