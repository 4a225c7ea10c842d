using LiteRestore.Inference.Admission;
using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference.Tests;

/// <summary>
/// The batch runner on sessions built by hand. The CUDA path cannot run on a machine without a GPU, so sessions labelled
/// "cuda" whose sessions always fail (a 4x enlarging graph behind buffers for the identity's output) stand in for a
/// failing GPU.
/// </summary>
public sealed class BatchRunnerTests
{
    private static readonly ModelDescriptor Model = ModelRepository.Read("fx-identity", Path.Combine(Fixtures.Models, "fx-identity"));
    private static readonly TileShape Shape = TileShape.Square(3, 3, 16, 1);
    private static readonly string FailingModel = Path.Combine(Fixtures.Models, "fx-sr-nearest", "model.onnx");
    private static readonly TileSizing Sizing = TileSizing.Fixed(Shape, Model.Card!.Tile.Overlap);

    [Fact]
    public async Task FailingPrimaryBatchesRunOnTheFallbackAndOpenTheBreaker()
    {
        using var sessions = Sessions(OnProvider("cuda", FailingModel), OnProvider(SessionFactory.CpuProvider, Model.ModelPath));
        var queue = new TileQueue(Model.Id, new QueueLimits(100, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)));
        var options = new InferenceOptions { CircuitBreaker = { MinimumThroughput = 2, BreakDuration = TimeSpan.FromMinutes(1) } };
        var reports = new List<BatchReport>();
        var runner = new BatchRunner(new ModelKey(Model.Id), sessions, queue, options, NullLoggerFactory.Instance, reports.Add, Sizing, RunMemory(options));
        Assert.Equal("cuda", runner.Provider);

        for (var i = 0; i < 4; i++)
        {
            using var image = TestImages.Random(10, 10, seed: i);
            using var plan = new TiledPlan(image, Model.Card!, Shape);
            var (request, batch) = await AdmitAsync(queue, plan);

            runner.Run(batch, batcher: 0);

            Assert.Equal((SessionFactory.CpuProvider, Contracts.TelemetryNames.Outcomes.Success), (reports[^1].Provider, reports[^1].Outcome));
            await request.Completion;
            // the first batches fell back while the breaker was still closed: the request says where they ran
            Assert.Equal(SessionFactory.CpuProvider, request.Provider);
            using var output = plan.Finish();
            Assert.Equal(TestImages.Pixels(image), TestImages.Pixels(output));
        }

        Assert.Equal(SessionFactory.CpuProvider, runner.Provider);
    }

    /// <summary>
    /// Whoever an answer wakes reads the request's inference time, the model's statistics and the trace: answered any
    /// earlier, a request could report no inference time at all (seen in 3 of 200 answers' Server-Timing).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestsAreAnsweredOnlyOnceTheirBatchIsReported(bool failing)
    {
        using var sessions = Sessions(OnProvider(SessionFactory.CpuProvider, failing ? FailingModel : Model.ModelPath), fallback: null);
        var queue = new TileQueue(Model.Id, new QueueLimits(100, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1)));
        using var image = TestImages.Random(10, 10, seed: 1);
        using var plan = new TiledPlan(image, Model.Card!, Shape);
        var (request, batch) = await AdmitAsync(queue, plan);
        var answeredWhenReported = new List<bool>();
        var options = new InferenceOptions();
        var runner = new BatchRunner(new ModelKey(Model.Id), sessions, queue, options, NullLoggerFactory.Instance,
            _ => answeredWhenReported.Add(request.Completion.IsCompleted), Sizing, RunMemory(options));

        runner.Run(batch, batcher: 0);

        Assert.Equal([false], answeredWhenReported);
        Assert.True(request.Completion.IsCompleted);
        Assert.Equal(failing, request.Completion.IsFaulted);
        Assert.True(request.BatchTime > TimeSpan.Zero);
    }

    private static async Task<(TiledRequest Request, List<TileWork> Batch)> AdmitAsync(TileQueue queue, TiledPlan plan)
    {
        var request = new TiledRequest(plan, default, CancellationToken.None);
        queue.Enqueue(request).Dispose();
        var batch = new List<TileWork>();
        await queue.TakeBatchAsync(batch, 2, TimeSpan.Zero, CancellationToken.None);
        return (request, batch);
    }

    private static ModelSessions Sessions(ProviderSessions primary, ProviderSessions? fallback) =>
        new(primary, fallback, new Contracts.EngineLayout(Sessions: 1, IntraOpThreads: 0, MaxBatchTiles: 2), FallbackReason: null, TakesAnySize: true);

    private static TileRunMemory RunMemory(InferenceOptions options) => new(Options.Create(options));

    private static ProviderSessions OnProvider(string provider, string modelPath) =>
        new([new PinnedSession(new InferenceSession(modelPath), provider, "input", "output", Shape, maxBatch: 2)]);
}
