using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference.Tests;

public sealed class ModelLoaderServiceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WhenTheShutdownTimeoutLeavesLessThanTheReserveTheQueuedRequestsAreAnsweredAtOnce()
    {
        var (created, options) = TestEngines.CreateEndless(o =>
        {
            o.MaxBatchTiles = 1;
            o.InferenceTimeout = TimeSpan.FromSeconds(2);
            o.DrainReserve = TimeSpan.FromSeconds(5);
        });
        using var engine = created;
        using var lifetime = new Lifetime();
        var loader = new ModelLoaderService(engine, lifetime, Options.Create(new HostOptions { ShutdownTimeout = TimeSpan.FromSeconds(1) }), Options.Create(options));
        await loader.StartAsync(CancellationToken.None);
        Assert.True(await Poll.UntilAsync(() => engine.IsReady, Deadline));
        using var input = TestImages.Random(8, 8);
        var (running, queued) = await engine.RunOneQueueOneAsync(input);

        await lifetime.StopApplicationAsync();

        await Assert.ThrowsAsync<ModelNotReadyException>(() => queued.WaitAsync(TimeSpan.FromSeconds(1)));
        await loader.StopAsync(CancellationToken.None);
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => running);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => stopping.Cancel();

        public Task StopApplicationAsync() => stopping.CancelAsync();

        public void Dispose() => stopping.Dispose();
    }
}
