using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// How a model's sessions use the hardware of the provider they run on: the configured values, and for each one left
/// unset the choice that serves the most there. On CPU that is single-threaded sessions side by side without batching,
/// one per core up to <see cref="CpuDefaultMaxSessions"/>; on CUDA one session that batches.
/// </summary>
internal static class EngineLayouts
{
    /// <summary>Tiles per batch on CUDA when <see cref="InferenceOptions.MaxBatchTiles"/> is unset.</summary>
    public const int CudaBatchTiles = 4;

    /// <summary>
    /// Most sessions per model the CPU default makes. Each session costs every model memory and start-up time (about
    /// 170 MiB and 2-3 s for all seven models, README), so on a larger host the cores go to the sessions' threads
    /// instead of to ever more sessions.
    /// </summary>
    public const int CpuDefaultMaxSessions = 4;

    public static EngineLayout For(InferenceOptions options, bool cuda) => For(options, cuda, Environment.ProcessorCount);

    /// <summary>The layout on a host with <paramref name="cores"/> cores.</summary>
    public static EngineLayout For(InferenceOptions options, bool cuda, int cores)
    {
        var maxBatch = options.MaxBatchTiles ?? (cuda ? CudaBatchTiles : 1);
        if (cuda || options.SessionsPerModel is not null)
        {
            return new(options.SessionsPerModel ?? 1, options.IntraOpThreads ?? 0, maxBatch);
        }

        var sessions = Math.Min(cores, CpuDefaultMaxSessions);
        return new(sessions, options.IntraOpThreads ?? cores / sessions, maxBatch);
    }
}
