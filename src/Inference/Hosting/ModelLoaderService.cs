using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>
/// Loads and warms up the models in the background so the host starts at once (readiness follows
/// <see cref="IRestorationEngine.IsReady"/>); on shutdown, stops admitting work and drains what was admitted. If the
/// drain is still going <see cref="InferenceOptions.DrainReserve"/> before the host's shutdown timeout, the requests
/// still queued are answered 503 instead, so that no admitted request is left without an answer.
/// </summary>
/// <remarks>
/// Loading stops with the application's stopping token rather than with a token source of its own: under
/// WebApplicationFactory both the factory and the app's own run loop stop the host, and one of them can call
/// <see cref="StopAsync"/> after the other has disposed the services, and with them a token source of this service.
/// The deadline starts when the application starts stopping, because the web server, which stops first, waits for the
/// requests in flight until the same timeout.
/// </remarks>
internal sealed class ModelLoaderService(
    RestorationEngine engine, IHostApplicationLifetime lifetime, IOptions<HostOptions> host, IOptions<InferenceOptions> options) : IHostedService
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loading = engine.LoadAsync(lifetime.ApplicationStopping);
        lifetime.ApplicationStopping.Register(() => _ = AbandonQueuedAtDeadlineAsync());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await loading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            await engine.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            drained.TrySetResult();
        }
    }

    private async Task AbandonQueuedAtDeadlineAsync()
    {
        var timeout = host.Value.ShutdownTimeout;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var untilDeadline = timeout - options.Value.DrainReserve;
        var deadline = Task.Delay(untilDeadline > TimeSpan.Zero ? untilDeadline : TimeSpan.Zero);
        if (await Task.WhenAny(deadline, drained.Task).ConfigureAwait(false) == deadline)
        {
            engine.AbandonQueued();
        }
    }
}
