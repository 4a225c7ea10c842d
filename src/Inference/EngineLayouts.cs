using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// How a model's sessions use the hardware of the provider they run on: the configured values, and for each one left
/// unset the choice that serves the most there. On CPU that is one single-threaded session per core without
/// batching; on CUDA one session that batches.
/// </summary>
internal static class EngineLayouts
{
    /// <summary>Tiles per batch on CUDA when <see cref="InferenceOptions.MaxBatchTiles"/> is unset.</summary>
    public const int CudaBatchTiles = 4;

    public static EngineLayout For(InferenceOptions options, bool cuda) => cuda
        ? new(options.SessionsPerModel ?? 1, options.IntraOpThreads ?? 0, options.MaxBatchTiles ?? CudaBatchTiles)
        : new(options.SessionsPerModel ?? Environment.ProcessorCount,
            options.IntraOpThreads ?? (options.SessionsPerModel is null ? 1 : 0),
            options.MaxBatchTiles ?? 1);
}
