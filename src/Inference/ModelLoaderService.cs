using Microsoft.Extensions.Hosting;

namespace LiteRestore.Inference;

/// <summary>
/// Loads and warms up the models in the background so the host starts at once (readiness follows
/// <see cref="IRestorationEngine.IsReady"/>); on shutdown, stops admitting work and drains what was admitted.
/// </summary>
/// <remarks>
/// Loading stops with the application's stopping token rather than with a token source of its own: under
/// WebApplicationFactory both the factory and the app's own run loop stop the host, and one of them can call
/// <see cref="StopAsync"/> after the other has disposed the services (a test failed once on a disposed token source).
/// </remarks>
internal sealed class ModelLoaderService(RestorationEngine engine, IHostApplicationLifetime lifetime) : IHostedService
{
    private Task loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loading = engine.LoadAsync(lifetime.ApplicationStopping);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await loading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        await engine.DrainAsync(cancellationToken).ConfigureAwait(false);
    }
}
