using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;

namespace LiteRestore.Inference.Tests;

public sealed class EngineLayoutsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void LeftUnsetOnCpuEveryCoreUpToFourGetsASingleThreadedSessionThatDoesNotBatch(int cores) =>
        Assert.Equal(new EngineLayout(cores, 1, 1), EngineLayouts.For(new InferenceOptions(), cuda: false, cores));

    /// <summary>Sessions cost memory and start-up for every model, so more cores go to the four sessions' threads.</summary>
    [Theory]
    [InlineData(6, 1)]
    [InlineData(8, 2)]
    [InlineData(64, 16)]
    public void LeftUnsetOnALargerHostFourSessionsShareTheCores(int cores, int threads) =>
        Assert.Equal(new EngineLayout(EngineLayouts.CpuDefaultMaxSessions, threads, 1), EngineLayouts.For(new InferenceOptions(), cuda: false, cores));

    [Fact]
    public void LeftUnsetOnCudaOneSessionBatches() =>
        Assert.Equal(new EngineLayout(1, 0, EngineLayouts.CudaBatchTiles), EngineLayouts.For(new InferenceOptions(), cuda: true));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConfiguredValuesWinOnEitherProvider(bool cuda)
    {
        var options = new InferenceOptions { SessionsPerModel = 3, IntraOpThreads = 2, MaxBatchTiles = 5 };

        Assert.Equal(new EngineLayout(3, 2, 5), EngineLayouts.For(options, cuda));
    }

    [Fact]
    public void ConfiguredSessionsOnCpuLeaveTheirThreadsToOnnxRuntime() =>
        Assert.Equal(0, EngineLayouts.For(new InferenceOptions { SessionsPerModel = 1 }, cuda: false).IntraOpThreads);

    [Fact]
    public void TheFactoryBuildsTheDefaultCpuLayout()
    {
        var model = Assert.Single(ModelRepository.Discover(Fixtures.Models, ["fx-identity"], []));

        using var sessions = new SessionFactory(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }).Create(model);

        Assert.Equal(EngineLayouts.For(new InferenceOptions(), cuda: false).Sessions, sessions.Primary.Sessions.Count);
        Assert.Equal(1, sessions.MaxBatch);
        Assert.Null(sessions.Fallback);
    }

    [Fact]
    public async Task AServedModelReportsTheLayoutItsSessionsRunWith()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o =>
        {
            o.SessionsPerModel = 2;
            o.MaxBatchTiles = 3;
        });

        Assert.Equal(new EngineLayout(Sessions: 2, IntraOpThreads: 1, MaxBatchTiles: 3), engine.Status("fx-identity").Engine);
    }
}
