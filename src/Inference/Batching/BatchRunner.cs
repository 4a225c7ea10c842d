using System.Diagnostics;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Polly;
using Polly.CircuitBreaker;
using Polly.Telemetry;
using Polly.Timeout;

namespace LiteRestore.Inference;

/// <summary>
/// Runs one batch of tiles on a batcher's own session, reports the batch, and then answers its requests. Every run has a time
/// limit that terminates the native run; a batch whose requests have all been cancelled is terminated as well. On CUDA,
/// a circuit breaker watches the runs, and a batch that fails there (or meets an open breaker) runs on a CPU session.
/// A batch of sized tiles first waits for their working memory in the process's <see cref="TileRunMemory"/>.
/// </summary>
internal sealed class BatchRunner
{
    private readonly ModelKey model;
    private readonly ModelSessions sessions;
    private readonly TileQueue queue;
    private readonly TimeSpan timeout;
    private readonly ILogger logger;
    private readonly Action<BatchReport> report;
    private readonly TileSizing sizing;
    private readonly TileRunMemory runMemory;
    private readonly ResiliencePipeline primaryPipeline;
    private readonly ResiliencePipeline fallbackPipeline;
    private readonly CircuitBreakerStateProvider breakerState = new();

    public BatchRunner(
        ModelKey model, ModelSessions sessions, TileQueue queue, InferenceOptions options, ILoggerFactory loggers, Action<BatchReport> report,
        TileSizing sizing, TileRunMemory runMemory)
    {
        this.model = model;
        this.sizing = sizing;
        this.runMemory = runMemory;
        this.sessions = sessions;
        this.queue = queue;
        this.report = report;
        logger = loggers.CreateLogger<BatchRunner>();
        timeout = options.InferenceTimeout;
        // Polly's telemetry counts each pipeline's events (timeouts, breaker transitions) by pipeline and model.
        var telemetry = new TelemetryOptions { LoggerFactory = loggers };
        fallbackPipeline = new ResiliencePipelineBuilder { Name = Contracts.TelemetryNames.Resilience.TimeLimited, InstanceName = model.ToString() }
            .AddTimeout(timeout)
            .ConfigureTelemetry(telemetry)
            .Build();
        primaryPipeline = sessions.Fallback is null
            ? fallbackPipeline
            : new ResiliencePipelineBuilder { Name = Contracts.TelemetryNames.Resilience.Breaker, InstanceName = model.ToString() }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = options.CircuitBreaker.FailureRatio,
                    MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                    SamplingDuration = options.CircuitBreaker.SamplingDuration,
                    BreakDuration = options.CircuitBreaker.BreakDuration,
                    ShouldHandle = new PredicateBuilder().Handle<OnnxRuntimeException>().Handle<TimeoutRejectedException>(),
                    StateProvider = breakerState,
                })
                .AddTimeout(timeout)
                .ConfigureTelemetry(telemetry)
                .Build();
    }

    /// <summary>The provider batches run on now: the fallback's while the breaker is open.</summary>
    public string Provider => sessions.Fallback is not null && breakerState.CircuitState is CircuitState.Open or CircuitState.Isolated
        ? sessions.Fallback.Provider
        : sessions.Primary.Provider;

    /// <summary>
    /// Runs the batch on the sessions of batcher <paramref name="batcher"/>, blocking until it is done, reports it, and
    /// only then answers its requests: whoever an answer wakes finds this batch in its own timings, in the statistics
    /// and in the trace.
    /// </summary>
    public void Run(List<TileWork> batch, int batcher)
    {
        var requests = batch.GroupBy(work => work.Request).Select(tiles => (Request: tiles.Key, Tiles: tiles.Count())).ToList();
        var started = Stopwatch.GetTimestamp();
        var (provider, outcome, failure) = RunTraced(batch, requests.ConvertAll(r => r.Request), batcher);
        var elapsed = Stopwatch.GetElapsedTime(started);
        queue.Finished(batch.Sum(work => work.Request.TileWork), failure is null ? elapsed : null);
        report(new BatchReport(provider, outcome, elapsed, batch.Count));
        foreach (var (request, tiles) in requests)
        {
            request.AddBatch(elapsed, provider);
            if (failure is null)
            {
                request.Settle(tiles);
            }
            else
            {
                queue.Close(request, failure);
            }
        }
    }

    /// <summary>Runs the batch inside its span; the failure, if any, is what its requests are to be answered with.</summary>
    private (string Provider, string Outcome, Exception? Failure) RunTraced(List<TileWork> batch, List<TiledRequest> requests, int batcher)
    {
        using var cancellation = new BatchCancellation(requests);
        var links = requests.Where(r => r.Trace != default).Select(r => new ActivityLink(r.Trace));
        using var activity = RestorationMetrics.ActivitySource.StartActivity(Contracts.TelemetryNames.Spans.Inference, ActivityKind.Internal, default(ActivityContext), links: links);
        activity?.SetTag(Contracts.TelemetryNames.Tags.Model, model.Id);
        activity?.SetTag(Contracts.TelemetryNames.Tags.Precision, Contracts.WireNames.Of(model.Precision));
        activity?.SetTag(Contracts.TelemetryNames.Spans.BatchTiles, batch.Count);
        var provider = sessions.Primary.Provider;
        try
        {
            provider = RunWithFallback(batch, batcher, cancellation.Token);
            activity?.SetTag(Contracts.TelemetryNames.Tags.Provider, provider);
            return (provider, Contracts.TelemetryNames.Outcomes.Success, null);
        }
        catch (OperationCanceledException) when (cancellation.Token.IsCancellationRequested)
        {
            return (provider, Contracts.TelemetryNames.Outcomes.Cancelled, null);
        }
        catch (Exception e)
        {
            var failure = e is TimeoutRejectedException ? new InferenceTimeoutException(model.ToString(), timeout) : e;
            if (e is not TimeoutRejectedException)
            {
                Log.BatchFailed(logger, e, model, batch.Count);
            }

            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            return (provider, failure is RestorationException restoration ? restoration.Code : Contracts.TelemetryNames.Outcomes.Error, failure);
        }
    }

    private string RunWithFallback(List<TileWork> batch, int batcher, CancellationToken cancellationToken)
    {
        try
        {
            return RunOn(sessions.Primary.Sessions[batcher], primaryPipeline, batch, cancellationToken);
        }
        catch (Exception e) when (sessions.Fallback is { } fallback && e is BrokenCircuitException or OnnxRuntimeException && !cancellationToken.IsCancellationRequested)
        {
            Log.FellBack(logger, model, e.Message);
            return RunOn(fallback.Sessions[batcher], fallbackPipeline, batch, cancellationToken);
        }
    }

    /// <summary>
    /// Runs the batch on <paramref name="session"/>: in its pinned buffers when the tiles have its native shape, else in
    /// buffers rented for this batch, once the run's working memory is free.
    /// </summary>
    private string RunOn(PinnedSession session, ResiliencePipeline pipeline, List<TileWork> batch, CancellationToken cancellationToken)
    {
        var shape = batch[0].Request.Shape;
        using var sized = shape == session.Shape ? null : new SizedTiles(shape, batch.Count);
        ITileBuffers buffers = sized is null ? session : sized;
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Request.WriteInput(batch[i].Tile, buffers.InputTile(i));
        }

        pipeline.Execute(static (state, token) =>
        {
            if (state.sized is null)
            {
                state.session.Run(state.Count, token);
                return;
            }

            // a tile no larger than the native ones runs in what the session's arena kept from warm-up
            using var memory = state.Bytes > 0 ? state.runMemory.Acquire(state.Bytes, token) : null;
            state.session.Run(state.sized, token);
        }, (session, batch.Count, sized, runMemory, Bytes: batch.Count * sizing.RunBytes(shape)), cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Request.AcceptOutput(batch[i].Tile, buffers.OutputTile(i));
        }

        return session.Provider;
    }

    /// <summary>A token that is cancelled once every request of the batch has been cancelled.</summary>
    private sealed class BatchCancellation : IDisposable
    {
        private readonly CancellationTokenSource source = new();
        private readonly List<CancellationTokenRegistration> registrations;
        private int live;

        public BatchCancellation(List<TiledRequest> requests)
        {
            live = requests.Count;
            registrations = requests.Select(r => r.CancellationToken.Register(static state =>
            {
                var self = (BatchCancellation)state!;
                if (Interlocked.Decrement(ref self.live) == 0)
                {
                    self.source.Cancel();
                }
            }, this)).ToList();
        }

        public CancellationToken Token => source.Token;

        public void Dispose()
        {
            registrations.ForEach(r => r.Dispose());
            source.Dispose();
        }
    }
}
