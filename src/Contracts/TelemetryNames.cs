namespace LiteRestore.Contracts;

/// <summary>
/// Names of the LiteRestore meter's instruments and their tags, defined once for the service, its dashboards and tests.
/// Prometheus renders a histogram <c>literestore.request.duration</c> in seconds as
/// <c>literestore_request_duration_seconds_bucket</c>.
/// </summary>
public static class TelemetryNames
{
    public const string Meter = "LiteRestore";
    public const string ActivitySource = "LiteRestore";

    public const string RequestDuration = "literestore.request.duration";
    public const string QueueWait = "literestore.queue.wait";
    public const string InferenceDuration = "literestore.inference.duration";
    public const string DecodeDuration = "literestore.decode.duration";
    public const string EncodeDuration = "literestore.encode.duration";
    public const string BatchSize = "literestore.batch.size";
    public const string Requests = "literestore.requests";
    public const string Failures = "literestore.failures";
    public const string ClientErrors = "literestore.client_errors";
    public const string QueueDepth = "literestore.queue.depth";
    public const string ModelResidentMemory = "literestore.model.memory.resident";
    public const string ModelWorkingMemory = "literestore.model.memory.working";
    public const string Jobs = "literestore.jobs";
    public const string JobTiles = "literestore.job.tiles";

    /// <summary>Spans of the activity source and their attributes.</summary>
    public static class Spans
    {
        /// <summary>One batch's run on a session: renting it, writing the inputs, the run, reading the outputs.</summary>
        public const string Inference = "literestore.inference";

        /// <summary>The inference span's attribute: how many tiles the batch holds.</summary>
        public const string BatchTiles = "literestore.batch.tiles";

        /// <summary>A request's wait from admission until its first tile entered a batch.</summary>
        public const string Queue = "literestore.queue";

        /// <summary>The queue span's attribute: how many tiles the request holds.</summary>
        public const string RequestTiles = "literestore.tiles";

        /// <summary>Reading and decoding an upload.</summary>
        public const string Decode = "literestore.decode";

        /// <summary>Encoding a result.</summary>
        public const string Encode = "literestore.encode";
    }

    /// <summary>Values of the outcome tag other than error codes.</summary>
    public static class Outcomes
    {
        public const string Success = "success";

        /// <summary>The client went away before its answer: a request, but no failure of the service.</summary>
        public const string Cancelled = "cancelled";

        /// <summary>A batch that failed with something other than a coded restoration error.</summary>
        public const string Error = "error";
    }

    public static class Tags
    {
        public const string Model = "model";
        public const string Task = "task";
        public const string Variant = "variant";

        /// <summary>The arithmetic the model's graph runs in (<see cref="ModelPrecision"/>'s wire name).</summary>
        public const string Precision = "precision";
        public const string Provider = "provider";
        public const string Outcome = "outcome";
        public const string Reason = "reason";

        /// <summary>A job's state (<see cref="JobState"/>'s wire name).</summary>
        public const string State = "state";

        /// <summary>Of the job tiles: <c>done</c>, or <c>total</c>.</summary>
        public const string Tiles = "tiles";
    }

    /// <summary>
    /// Polly's meter and the resilience pipelines a batch runs under; its <c>resilience.polly.strategy.events</c>
    /// counter tags each event with one of these as <c>pipeline.name</c> and the model as <c>pipeline.instance</c>.
    /// </summary>
    public static class Resilience
    {
        public const string Meter = "Polly";

        /// <summary>The counter of resilience events (timeouts, circuit-breaker transitions).</summary>
        public const string Events = "resilience.polly.strategy.events";

        /// <summary>Batches on CPU sessions: each run has a time limit.</summary>
        public const string TimeLimited = "inference";

        /// <summary>Batches on CUDA sessions that can fall back to CPU: a circuit breaker watches the time-limited runs.</summary>
        public const string Breaker = "inference-with-breaker";
    }
}
