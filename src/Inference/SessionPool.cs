using System.Threading.Channels;

namespace LiteRestore.Inference;

/// <summary>The sessions of one model on one provider; a rented session runs one batch at a time.</summary>
internal sealed class SessionPool : IDisposable
{
    private readonly Channel<PooledSession> idle = Channel.CreateUnbounded<PooledSession>();

    public SessionPool(IReadOnlyList<PooledSession> sessions)
    {
        Sessions = sessions;
        foreach (var session in sessions)
        {
            idle.Writer.TryWrite(session);
        }
    }

    public IReadOnlyList<PooledSession> Sessions { get; }

    public string Provider => Sessions[0].Provider;

    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken) =>
        new(this, await idle.Reader.ReadAsync(cancellationToken).ConfigureAwait(false));

    public void Dispose()
    {
        foreach (var session in Sessions)
        {
            session.Dispose();
        }
    }

    /// <summary>A rented session; disposing the lease returns it.</summary>
    public readonly struct Lease(SessionPool pool, PooledSession session) : IDisposable
    {
        public PooledSession Session { get; } = session;

        public void Dispose() => pool.idle.Writer.TryWrite(Session);
    }
}
