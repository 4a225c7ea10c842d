namespace LiteRestore.Contracts;

/// <summary>
/// What a precision costs per native tile at batch 1 on the CPU provider, beside the fp32 graph measured in the same
/// run (the benchmark's tile-latency mode), and the CPU it was measured on: int8 pays where the CPU has int8 dot-product
/// units, and a tile is what the engine runs on a GPU; a whole image with CPU-sized tiles gains more (docs/benchmarks.md).
/// </summary>
public sealed record PrecisionSpeed(double Fp32MsPerTile, double MsPerTile, string MeasuredOn);
