namespace LiteRestore.Inference;

/// <summary>How far a restoration has come: tiles whose output is back, of all it has.</summary>
public readonly record struct TileProgress(int Done, int Total);
