namespace LiteRestore.Contracts;

/// <summary>
/// <c>models/&lt;id&gt;/tile-cost.json</c>: what one CPU session of the model takes per input pixel at tile sizes from
/// the native one up, in each precision, measured on a quiet machine (<c>bench/Benchmarks --tile-cost</c>). The engine
/// sizes a request's CPU tiles from it; a model without it runs native tiles. It is kept beside the card rather than
/// timed at each start, because seconds of timing on a busy machine gave one start large tiles and the next small ones.
/// </summary>
public sealed record TileCostTable
{
    public const string FileName = "tile-cost.json";

    /// <summary>When, on which CPU and how the costs were measured.</summary>
    public required string Measured { get; init; }

    public required IReadOnlyList<TileCostCurve> Curves { get; init; }

    /// <summary>The curve of <paramref name="precision"/>, or null where none was measured.</summary>
    public TileCostCurve? For(ModelPrecision precision) => Curves.FirstOrDefault(curve => curve.Precision == precision);
}
