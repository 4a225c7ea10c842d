namespace LiteRestore.Contracts;

/// <summary>
/// The sessions a model runs on: how many run batches side by side, the threads each may use inside one operator (0:
/// ONNX Runtime's default, one per physical core) and the most tiles one batch holds. Load-test numbers hold only for
/// the layout they were measured with.
/// </summary>
public sealed record EngineLayout(int Sessions, int IntraOpThreads, int MaxBatchTiles);
