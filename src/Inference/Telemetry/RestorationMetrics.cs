using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// The LiteRestore meter (names from <see cref="TelemetryNames"/>, durations in seconds) and activity source. The engine
/// records queue, inference and batch sizes; the HTTP layer records decode, encode and whole requests through
/// <see cref="IRestorationTelemetry"/>. Model ids that are not served are tagged "unknown" so tags stay bounded.
/// </summary>
internal sealed class RestorationMetrics : IRestorationTelemetry, IDisposable
{
    public static readonly ActivitySource ActivitySource = new(TelemetryNames.ActivitySource);

    private static readonly double[] DurationBucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Meter meter;
    private readonly ConcurrentDictionary<ModelKey, ServedModel> models = new();
    private readonly Histogram<double> requestDuration;
    private readonly Histogram<double> queueWait;
    private readonly Histogram<double> inferenceDuration;
    private readonly Histogram<double> decodeDuration;
    private readonly Histogram<double> encodeDuration;
    private readonly Histogram<int> batchSize;
    private readonly Counter<long> requests;
    private readonly Counter<long> failures;
    private readonly Counter<long> clientErrors;

    public RestorationMetrics(IMeterFactory? meterFactory)
    {
        meter = meterFactory?.Create(TelemetryNames.Meter) ?? new Meter(TelemetryNames.Meter);
        requestDuration = Duration(TelemetryNames.RequestDuration, "Time from upload received to response encoded.");
        queueWait = Duration(TelemetryNames.QueueWait, "Time a request's tiles waited for a session.");
        inferenceDuration = Duration(TelemetryNames.InferenceDuration, "Time one batch ran on a session.");
        decodeDuration = Duration(TelemetryNames.DecodeDuration, "Time to identify, decode and orient an upload.");
        encodeDuration = Duration(TelemetryNames.EncodeDuration, "Time to encode a result.");
        batchSize = meter.CreateHistogram(TelemetryNames.BatchSize, "{tile}", "Tiles per batch.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        requests = meter.CreateCounter<long>(TelemetryNames.Requests, "{request}", "Finished requests by outcome.");
        failures = meter.CreateCounter<long>(TelemetryNames.Failures, "{request}",
            "Requests the service failed or refused (timeout, overloaded, model not ready, errors), by reason.");
        clientErrors = meter.CreateCounter<long>(TelemetryNames.ClientErrors, "{request}",
            "Requests the client got wrong (invalid or oversized images, bad parameters, unknown models), by reason.");
        meter.CreateObservableGauge(TelemetryNames.QueueDepth,
            () => models.Values.Select(m => new Measurement<int>(m.Queue.Depth, m.Tags.With())), "{tile}", "Tiles waiting in a model's queue.");
        meter.CreateObservableGauge(TelemetryNames.ModelResidentMemory,
            () => Memory(m => m.ResidentBytes), "By", "Resident memory a model added: sessions created and warmed up.");
        meter.CreateObservableGauge(TelemetryNames.ModelWorkingMemory,
            () => Memory(m => m.WorkingBytesByBatchSize.Values.DefaultIfEmpty().Max()), "By", "Working memory of a model's largest batch.");
    }

    public void Register(ModelKey key, ServedModel model) => models[key] = model;

    public void RecordBatch(ModelTags tags, string provider, string outcome, TimeSpan elapsed, int tiles)
    {
        inferenceDuration.Record(elapsed.TotalSeconds, tags.With(provider, outcome));
        batchSize.Record(tiles, tags.With(provider));
    }

    public void RecordQueueWait(ModelTags tags, TimeSpan elapsed) => queueWait.Record(elapsed.TotalSeconds, tags.With());

    public void RecordDecode(TimeSpan elapsed) => decodeDuration.Record(elapsed.TotalSeconds);

    public void RecordEncode(ModelKey model, TimeSpan elapsed) => encodeDuration.Record(elapsed.TotalSeconds, TagsOf(model).With());

    public void RecordRequest(ModelKey? model, string outcome, TimeSpan elapsed)
    {
        var tags = TagsOf(model);
        requestDuration.Record(elapsed.TotalSeconds, tags.With(outcome: outcome));
        requests.Add(1, tags.With(outcome: outcome));
        if (outcome is not (TelemetryNames.Outcomes.Success or TelemetryNames.Outcomes.Cancelled))
        {
            var reasonTags = tags.With();
            reasonTags.Add(TelemetryNames.Tags.Reason, outcome);
            (ErrorCodes.IsClientMistake(outcome) ? clientErrors : failures).Add(1, reasonTags);
        }
    }

    public void Dispose() => meter.Dispose();

    private ModelTags TagsOf(ModelKey? model) =>
        model is { } key && models.TryGetValue(key, out var served) ? served.Tags : ModelTags.Unserved;

    private Histogram<double> Duration(string name, string description) =>
        meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBucketsSeconds });

    private IEnumerable<Measurement<long>> Memory(Func<ModelMemory, long> read) =>
        models.Values.Where(m => m.Memory is not null).Select(m => new Measurement<long>(read(m.Memory!), m.Tags.With(m.Provider)));
}
