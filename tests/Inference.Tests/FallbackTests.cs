using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// The CUDA path cannot run on a machine without a GPU, so a primary pool labelled "cuda" whose sessions always fail
/// (their output buffers have the wrong shape) stands in for a failing GPU.
/// </summary>
public sealed class FallbackTests
{
    [Fact]
    public async Task FailingPrimaryBatchesRunOnTheFallbackAndOpenTheBreaker()
    {
        var model = ModelRepository.Read("fx-identity", Path.Combine(Fixtures.Models, "fx-identity"));
        var shape = new TileShape(3, 3, 16, 1);
        using var sessions = new ModelSessions(
            Pool(model, "cuda", shape with { Scale = 2 }),
            Pool(model, SessionFactory.CpuProvider, shape),
            new Contracts.EngineLayout(Sessions: 1, IntraOpThreads: 0, MaxBatchTiles: 2),
            FallbackReason: null);
        var queue = new TileQueue(model.Id, capacity: 100, TimeSpan.FromSeconds(1));
        var options = new InferenceOptions { CircuitBreaker = { MinimumThroughput = 2, BreakDuration = TimeSpan.FromMinutes(1) } };
        var runner = new BatchRunner(model.Id, sessions, queue, options, NullLogger.Instance);
        Assert.Equal("cuda", runner.Provider);

        for (var i = 0; i < 4; i++)
        {
            using var image = TestImages.Random(10, 10, seed: i);
            using var plan = new TiledPlan(image, model.Card!);
            var request = new TileRequest(plan, default, CancellationToken.None);
            using var registration = queue.Enqueue(request);
            var batch = new List<TileWork>();
            await queue.TakeBatchAsync(batch, 2, TimeSpan.Zero, CancellationToken.None);

            Assert.Equal((SessionFactory.CpuProvider, RestorationMetrics.Success), runner.Run(batch, batcher: 0));

            await request.Completion;
            using var output = plan.Finish();
            Assert.Equal(TestImages.Pixels(image), TestImages.Pixels(output));
        }

        Assert.Equal(SessionFactory.CpuProvider, runner.Provider);
    }

    private static SessionPool Pool(ModelDescriptor model, string provider, TileShape shape) =>
        new([new PooledSession(new InferenceSession(model.ModelPath), provider, "input", "output", shape, maxBatch: 2)]);
}
