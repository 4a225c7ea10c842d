using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;
using LiteRestore.Tests.Shared;

namespace LiteRestore.Inference.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task TheEngineRecordsItsInstrumentsWithBoundedTags()
    {
        using var factory = new ScopedMeterFactory();
        using var metrics = new RestorationMetrics(factory);
        using var recorded = new Recorder(factory);
        using var engine = await TestEngines.StartAsync(["fx-identity"], metrics: metrics);
        using var input = TestImages.Random(20, 20);

        using var output = await engine.RestoreAsync("fx-identity", input);
        metrics.RecordRequest(new ModelKey("fx-identity"), "success", TimeSpan.FromMilliseconds(5));
        metrics.RecordRequest(new ModelKey("no-such-model"), ErrorCodes.ModelNotFound, TimeSpan.FromMilliseconds(1));
        metrics.RecordRequest(new ModelKey("fx-identity"), ErrorCodes.Timeout, TimeSpan.FromMilliseconds(6));
        metrics.RecordRequest(new ModelKey("fx-identity"), TelemetryNames.Outcomes.Cancelled, TimeSpan.FromMilliseconds(4));
        metrics.RecordDecode(TimeSpan.FromMilliseconds(2));
        metrics.RecordEncode(new ModelKey("fx-identity"), TimeSpan.FromMilliseconds(3));
        recorded.Listener.RecordObservableInstruments();

        var inference = recorded.Single(TelemetryNames.InferenceDuration);
        Assert.Equal("fx-identity", inference.Tags[TelemetryNames.Tags.Model]);
        Assert.Equal("denoise", inference.Tags[TelemetryNames.Tags.Task]);
        Assert.Equal("baseline", inference.Tags[TelemetryNames.Tags.Variant]);
        Assert.Equal("cpu", inference.Tags[TelemetryNames.Tags.Provider]);
        Assert.Equal("success", inference.Tags[TelemetryNames.Tags.Outcome]);
        Assert.InRange(inference.Value, 0, 10);
        Assert.Equal(4, recorded.Single(TelemetryNames.BatchSize).Value);
        Assert.Single(recorded.All(TelemetryNames.QueueWait));
        Assert.Single(recorded.All(TelemetryNames.DecodeDuration));
        Assert.Equal(0.003, recorded.Single(TelemetryNames.EncodeDuration).Value, 6);
        Assert.Equal(4, recorded.All(TelemetryNames.Requests).Count);
        var failure = recorded.Single(TelemetryNames.Failures); // a cancelled request is no failure, a client's mistake neither
        Assert.Equal("fx-identity", failure.Tags[TelemetryNames.Tags.Model]);
        Assert.Equal(ErrorCodes.Timeout, failure.Tags[TelemetryNames.Tags.Reason]);
        var mistake = recorded.Single(TelemetryNames.ClientErrors);
        Assert.Equal("unknown", mistake.Tags[TelemetryNames.Tags.Model]);
        Assert.Equal(ErrorCodes.ModelNotFound, mistake.Tags[TelemetryNames.Tags.Reason]);
        Assert.Equal(0, recorded.Single(TelemetryNames.QueueDepth).Value);
        Assert.True(recorded.Single(TelemetryNames.ModelWorkingMemory).Value > 0);
        Assert.Single(recorded.All(TelemetryNames.ModelResidentMemory));
    }

    [Fact]
    public async Task QueueAndInferenceSpansAreEmitted()
    {
        using var recorder = new SpanRecorder();
        var spans = recorder.Spans;
        using var engine = await TestEngines.StartAsync(["fx-identity"]);
        using var parent = new Activity("request").Start();

        using var output = await engine.RestoreAsync("fx-identity", TestImages.Random(8, 8));

        var queue = Assert.Single(spans, s => s.OperationName == "literestore.queue" && s.ParentSpanId == parent.SpanId);
        Assert.True(queue.Duration >= TimeSpan.Zero);
        Assert.Contains(spans, s => s.OperationName == "literestore.inference" && s.Links.Any(l => l.Context.SpanId == parent.SpanId));
    }

    private sealed class ScopedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            meters.Add(meter);
            return meter;
        }

        public void Dispose() => meters.ForEach(m => m.Dispose());
    }

    private sealed record Measured(double Value, Dictionary<string, object?> Tags);

    /// <summary>Measurements of the meters one factory made, so parallel tests' engines do not mix in.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<Measured>> measurements = new();

        public Recorder(ScopedMeterFactory factory)
        {
            Listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Scope == factory)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            Listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            Listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
            Listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            Listener.Start();
        }

        public MeterListener Listener { get; }

        public List<Measured> All(string name) => measurements.TryGetValue(name, out var queue) ? queue.ToList() : [];

        public Measured Single(string name) => Assert.Single(All(name));

        public void Dispose() => Listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.GetOrAdd(instrument.Name, _ => new()).Enqueue(new Measured(value, new Dictionary<string, object?>(tags.ToArray())));
    }
}
