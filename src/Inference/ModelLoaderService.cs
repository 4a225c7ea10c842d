using Microsoft.Extensions.Hosting;

namespace LiteRestore.Inference;

/// <summary>
/// Loads and warms up the models in the background so the host starts at once (readiness follows
/// <see cref="IRestorationEngine.IsReady"/>); on shutdown, stops admitting work and drains what was admitted.
/// </summary>
internal sealed class ModelLoaderService(RestorationEngine engine) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        loading = engine.LoadAsync(stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await loading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        await engine.DrainAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => stopping.Dispose();
}
