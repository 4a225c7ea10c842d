using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// The sessions of one model: the preferred provider's and, when that is CUDA, CPU sessions to fall back on; the
/// layout they were built with, its batch limited to what the graph accepts; and whether the graph takes tiles of any
/// height and width.
/// </summary>
internal sealed record ModelSessions(
    ProviderSessions Primary, ProviderSessions? Fallback, EngineLayout Layout, string? FallbackReason, bool TakesAnySize) : IDisposable
{
    public int MaxBatch => Layout.MaxBatchTiles;

    public void Dispose()
    {
        Primary.Dispose();
        Fallback?.Dispose();
    }
}
