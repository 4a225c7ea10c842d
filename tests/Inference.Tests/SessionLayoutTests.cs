using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;

namespace LiteRestore.Inference.Tests;

public sealed class SessionLayoutTests
{
    [Fact]
    public void LeftUnsetOnCpuEveryCoreGetsOneSingleThreadedSessionThatDoesNotBatch() =>
        Assert.Equal(new SessionLayout(Environment.ProcessorCount, 1, 1), SessionLayout.For(new InferenceOptions(), cuda: false));

    [Fact]
    public void LeftUnsetOnCudaOneSessionBatches() =>
        Assert.Equal(new SessionLayout(1, 0, SessionLayout.CudaBatchTiles), SessionLayout.For(new InferenceOptions(), cuda: true));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConfiguredValuesWinOnEitherProvider(bool cuda)
    {
        var options = new InferenceOptions { SessionsPerModel = 3, IntraOpThreads = 2, MaxBatchTiles = 5 };

        Assert.Equal(new SessionLayout(3, 2, 5), SessionLayout.For(options, cuda));
    }

    [Fact]
    public void ConfiguredSessionsOnCpuLeaveTheirThreadsToOnnxRuntime() =>
        Assert.Equal(0, SessionLayout.For(new InferenceOptions { SessionsPerModel = 1 }, cuda: false).IntraOpThreads);

    [Fact]
    public void TheFactoryBuildsTheDefaultCpuLayout()
    {
        var model = Assert.Single(ModelRepository.Discover(Fixtures.Models, ["fx-identity"]));

        using var sessions = new SessionFactory(new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu }).Create(model);

        Assert.Equal(Environment.ProcessorCount, sessions.Primary.Sessions.Count);
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
