namespace LiteRestore.Inference;

/// <summary>
/// The sessions of one model on one provider. Each session belongs to one batcher (the batcher with the same index), so
/// a session runs one batch at a time and is never waited for.
/// </summary>
internal sealed class ProviderSessions(IReadOnlyList<PinnedSession> sessions) : IDisposable
{
    public IReadOnlyList<PinnedSession> Sessions { get; } = sessions;

    public string Provider => Sessions[0].Provider;

    public void Dispose()
    {
        foreach (var session in Sessions)
        {
            session.Dispose();
        }
    }
}
