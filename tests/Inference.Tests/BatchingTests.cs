using System.Collections.Concurrent;
using System.Diagnostics;
using LiteRestore.Inference.Tests.Infrastructure;
using LiteRestore.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace LiteRestore.Inference.Tests;

public sealed class BatchingTests
{
    [Fact]
    public async Task TilesOfDifferentRequestsAndImageSizesShareOneBatch()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o =>
        {
            o.MaxBatchTiles = 16;
            o.MaxQueueDelay = TimeSpan.FromMilliseconds(500);
        });
        using var one = TestImages.Random(10, 10, seed: 1);
        using var two = TestImages.Random(20, 10, seed: 2);
        using var six = TestImages.Random(30, 20, seed: 3);

        var results = await Task.WhenAll(
            engine.RestoreAsync(new RestorationJob("fx-identity", one), CancellationToken.None),
            engine.RestoreAsync(new RestorationJob("fx-identity", two), CancellationToken.None),
            engine.RestoreAsync(new RestorationJob("fx-identity", six), CancellationToken.None));

        Assert.Equal([1, 2, 6], results.Select(r => r.Tiles));
        var stats = engine.Status("fx-identity").Stats!;
        Assert.Equal(1, stats.InferenceMs.Samples);
        Assert.Equal(9, stats.MeanBatchSize);
        Assert.Equal(3, stats.Requests);
        Assert.Equal(TestImages.Pixels(six), TestImages.Pixels(results[2].Image));
        foreach (var result in results)
        {
            result.Image.Dispose();
        }
    }

    [Fact]
    public async Task ManyConcurrentCallersOnSeveralSessionsEachGetTheirOwnImageBack()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o =>
        {
            o.SessionsPerModel = 2;
            o.MaxBatchTiles = 5;
            o.MaxQueueDelay = TimeSpan.FromMilliseconds(1);
        });

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            using var input = TestImages.Random(5 + i * 3, 40 - i, seed: i);
            using var output = await engine.RestoreAsync("fx-identity", input);
            Assert.Equal(TestImages.Pixels(input), TestImages.Pixels(output));
        })));

        var stats = engine.Status("fx-identity").Stats!;
        Assert.Equal(24, stats.Requests);
        Assert.Equal(0, stats.Failures);
        Assert.True(stats.MeanBatchSize > 1, $"mean batch size {stats.MeanBatchSize}");
    }

    /// <summary>
    /// ONNX Runtime's Run blocks its thread for the whole batch. On the thread pool, busy batchers starved the threads
    /// that accept connections and answer health probes: /healthz took 2 s under load on two cores.
    /// </summary>
    [Fact]
    public async Task BatchesRunOnThreadsOfTheirOwnNotOnTheThreadPool()
    {
        // The inference spans of this test's requests only (they link to its trace): other tests run batches directly.
        using var trace = new Activity("thread-test").Start();
        var stoppedOnThreadPool = new ConcurrentBag<bool>();
        using var watcher = new BatchSpanWatcher(trace.TraceId, stopped: _ => stoppedOnThreadPool.Add(Thread.CurrentThread.IsThreadPoolThread));
        using var engine = await TestEngines.StartAsync(["fx-identity"], o => o.SessionsPerModel = 2);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var input = TestImages.Random(30, 30, seed: i);
            using var output = await engine.RestoreAsync("fx-identity", input);
        }));

        Assert.NotEmpty(stoppedOnThreadPool);
        Assert.DoesNotContain(true, stoppedOnThreadPool);
    }

    [Fact]
    public async Task ShutdownDrainsAdmittedWorkAndRejectsNewWork()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o =>
        {
            // One batch holds all the tiles and waits long enough that, even on a loaded machine, nothing has run
            // before the drain starts.
            o.MaxBatchTiles = 64;
            o.MaxQueueDelay = TimeSpan.FromSeconds(3);
        });
        using var input = TestImages.Random(40, 40, seed: 4);
        var admitted = Enumerable.Range(0, 3).Select(_ => engine.RestoreAsync(new RestorationJob("fx-identity", input), CancellationToken.None)).ToList();

        Assert.All(admitted, t => Assert.False(t.IsCompleted));

        await engine.DrainAsync(CancellationToken.None);

        foreach (var result in await Task.WhenAll(admitted).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(TestImages.Pixels(input), TestImages.Pixels(result.Image));
            result.Image.Dispose();
        }

        Assert.False(engine.IsReady);
        await Assert.ThrowsAsync<ModelNotReadyException>(() => engine.RestoreAsync(new RestorationJob("fx-identity", input), CancellationToken.None));
    }

    [Fact]
    public async Task AnAbandonedDrainAnswersTheQueuedRequestsAtOnceAndLetsTheRunningBatchFinish()
    {
        using var engine = await TestEngines.StartEndlessAsync(o =>
        {
            o.MaxBatchTiles = 1;
            o.InferenceTimeout = TimeSpan.FromSeconds(2);
        });
        using var input = TestImages.Random(8, 8);
        var (running, queued) = await engine.RunOneQueueOneAsync(input);

        engine.AbandonQueued();

        var answered = await Assert.ThrowsAsync<ModelNotReadyException>(() => queued.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("shutting down", answered.Message, StringComparison.Ordinal);
        Assert.NotNull(answered.RetryAfter);  // another replica can serve it
        Assert.False(running.IsCompleted);
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => running); // the endless batch ran to its timeout
        Assert.False(engine.IsReady);
    }

    [Fact]
    public async Task AFullModelQueueRejectsTheRequestAtOnce()
    {
        // fx-endless holds the only session until the timeout, so the first request's other tiles stay queued: with a
        // fast network they could all be done before the second request arrives, and the queue would be empty again.
        using var engine = await TestEngines.StartEndlessAsync(o =>
        {
            o.MaxBatchTiles = 1;
            o.QueueCapacityTiles = 4;
            o.InferenceTimeout = TimeSpan.FromSeconds(1);
        });
        using var big = TestImages.Random(40, 40, seed: 5);
        var first = engine.RestoreAsync(new RestorationJob("fx-endless", big), CancellationToken.None);

        var rejected = await Assert.ThrowsAsync<QueueFullException>(() => engine.RestoreAsync(new RestorationJob("fx-endless", big), CancellationToken.None));

        Assert.Equal("fx-endless", rejected.ModelId);
        await Assert.ThrowsAsync<InferenceTimeoutException>(() => first);
        Assert.Equal(2, engine.Status("fx-endless").Stats!.Requests);
        Assert.Equal(2, engine.Status("fx-endless").Stats!.Failures);
    }

    [Fact]
    public async Task AClientsMistakeCountsAsARequestButNotAsAFailureOfTheModel()
    {
        using var engine = await TestEngines.StartAsync(["fx-sr-nearest"], limits: new ImageLimitsOptions { MaxOutputPixels = 64 });
        using var image = TestImages.Random(4, 4);

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => engine.RestoreAsync("fx-sr-nearest", image));

        Assert.Equal(Contracts.ErrorCodes.ImageTooLarge, rejected.Code);
        Assert.Equal((1, 0), (engine.Status("fx-sr-nearest").Stats!.Requests, engine.Status("fx-sr-nearest").Stats!.Failures));
    }

    [Fact]
    public async Task AutoProviderFallsBackToCpuAndSaysWhy()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity"], o => o.ExecutionProvider = ExecutionProviderPreference.Auto);

        var status = engine.Status("fx-identity");

        Assert.Equal(Contracts.ModelAvailability.Ready, status.Availability);
        if (status.Provider == SessionFactory.CpuProvider)
        {
            Assert.Contains("CUDA", status.Reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(SessionFactory.CudaProvider, status.Provider);
        }
    }

    [Fact]
    public async Task AnAutoStartWithoutCudaLibrariesSaysOnceWhichLibraryIsMissingAndWarnsOfNothing()
    {
        using var loggers = new RecordingLoggers();
        var (engine, _) = TestEngines.Create(["fx-identity", "fx-conv"], o => o.ExecutionProvider = ExecutionProviderPreference.Auto, loggers: loggers);
        using var started = engine;

        await engine.LoadAsync(CancellationToken.None);

        if (CudaProbe.Unavailable is null)
        {
            // a machine whose CUDA libraries load: each model runs on CUDA or says why it could not
            Assert.All(engine.GetModels(), m => Assert.True(m.Provider == SessionFactory.CudaProvider || m.Reason!.Contains("CUDA", StringComparison.Ordinal)));
            return;
        }

        Assert.All(engine.GetModels(), m => Assert.Equal((SessionFactory.CpuProvider, CudaProbe.Unavailable), (m.Provider, m.Reason)));
        Assert.Matches(@"\.so[.\d]* is missing", CudaProbe.Unavailable);
        Assert.DoesNotContain(Path.DirectorySeparatorChar, CudaProbe.Unavailable);
        Assert.DoesNotContain(loggers.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Single(loggers.Entries, e => e.Message.StartsWith("Execution provider cpu: CUDA is not usable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WarmUpMeasuresMemoryForEveryBatchSize()
    {
        using var engine = await TestEngines.StartAsync(["fx-conv"], o => o.MaxBatchTiles = 3);

        var memory = engine.Status("fx-conv").Memory!;

        Assert.Equal([1, 2, 3], memory.WorkingBytesByBatchSize.Keys.Order());
        var tensorBytes = 2 * 3 * 32 * 32 * sizeof(float);
        Assert.All(memory.WorkingBytesByBatchSize, p => Assert.True(p.Value >= p.Key * tensorBytes));
        Assert.True(memory.ResidentBytes >= 0);
        Assert.True(engine.IsReady);
    }
}
