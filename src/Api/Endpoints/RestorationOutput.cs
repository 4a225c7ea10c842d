using LiteRestore.Inference;

namespace LiteRestore.Api.Endpoints;

/// <summary>A restored image, encoded, with the engine's account of it and the time the encoding took.</summary>
internal sealed record RestorationOutput(ReadOnlyMemory<byte> Bytes, RestorationResult Result, TimeSpan Encode);
