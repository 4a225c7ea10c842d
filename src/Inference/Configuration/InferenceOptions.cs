using System.ComponentModel.DataAnnotations;
using LiteRestore.Contracts;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>Configuration section <c>Inference</c>: where the models are and how they are served.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>
    /// Folder with one sub-folder per model (<c>&lt;id&gt;/model.json</c>). A relative path is resolved against the
    /// app's base directory. Default: <c>models</c>, the models bundled next to the app.
    /// </summary>
    [Required]
    public string ModelsRoot { get; set; } = "models";

    /// <summary>Default: <see cref="ExecutionProviderPreference.Auto"/> (CUDA when a CUDA session can be created, else CPU).</summary>
    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>CUDA device the CUDA sessions use. Default: 0.</summary>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// Sessions per model; each runs one batch at a time. Unset (the default): on the CPU provider one per core, where
    /// single-threaded sessions side by side serve the most (<c>docs/benchmarks.md</c>), but at most
    /// <see cref="EngineLayouts.CpuDefaultMaxSessions"/>; one on CUDA.
    /// </summary>
    [Range(1, 64)]
    public int? SessionsPerModel { get; set; }

    /// <summary>
    /// Threads one session uses inside an operator; 0 lets ONNX Runtime choose (one per physical core). Unset (the
    /// default): for the CPU sessions of an unset <see cref="SessionsPerModel"/>, the cores divided among them (1 on
    /// up to four cores); otherwise 0.
    /// </summary>
    [Range(0, 1024)]
    public int? IntraOpThreads { get; set; }

    /// <summary>Default: <see cref="GraphOptimization.All"/>.</summary>
    public GraphOptimization GraphOptimizationLevel { get; set; } = GraphOptimization.All;

    /// <summary>
    /// Most tiles run as one batch. Unset (the default): 1 on CPU, where a batch costs as much as its tiles one by one,
    /// and 4 on CUDA.
    /// </summary>
    [Range(1, 256)]
    public int? MaxBatchTiles { get; set; }

    /// <summary>
    /// Most working memory one tile's run may take on the CPU provider, in MB. CPU sessions run any height and width, so
    /// each request there gets tiles sized for it (<see cref="TileSizing"/>), as large as this allows at the working
    /// memory per pixel that the model's warm-up measured: fewer pixels are computed twice where tiles overlap. 0, or
    /// <see cref="WarmUp"/> off, runs every request in the card's native tiles. Runs of sized tiles take at most this
    /// per CPU session of one model together, across all models (<see cref="Admission.TileRunMemory"/>). Default: 256:
    /// whole images ran 1.23-1.31x faster than in native tiles, and with <see cref="NativeMmapThresholdKilobytes"/> the
    /// reliability soak's resident memory stays at that of native tiles.
    /// </summary>
    [Range(0, 65_536)]
    public int CpuTileMegabytes { get; set; } = 256;

    /// <summary>
    /// Blocks of native memory (ONNX Runtime's buffers) from this size up, in KB, are mapped from the system one by one
    /// and go back to it when freed (<see cref="NativeHeap"/>); 0 leaves the C library's own threshold, which grows with
    /// the blocks freed and keeps them resident. Only glibc has it. Default: 1024 (1 MB).
    /// </summary>
    [Range(0, 1_048_576)]
    public int NativeMmapThresholdKilobytes { get; set; } = 1024;

    /// <summary>Longest a batcher waits for more tiles once it holds at least one. Default: 2 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Tiles of work that may run before a new request's last tile; a request past it is rejected at once. Requests are
    /// served round-robin, so each one waiting counts at most as many tiles as the new one has (<see cref="TileQueue"/>).
    /// A request's own tiles count for at most half of it, so every image within the size limits can be admitted, also
    /// beside steady small traffic. Default: 512.
    /// </summary>
    [Range(1, 1_000_000)]
    public int QueueCapacityTiles { get; set; } = 512;

    /// <summary>
    /// Longest that other requests' tiles may delay a request's answer, at the queue's measured drain rate; its own
    /// tiles do not count: a large image may take long, but not because of the queue. A new request that would wait
    /// longer, or would delay one already waiting past it, is rejected at once with a <c>Retry-After</c> of the excess.
    /// Background requests (jobs) are promised no wait. Default: 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The share of <see cref="MaxQueueWait"/> that admission keeps in reserve. The drain rate is a smoothed mean, and
    /// under overload every admitted request sits near the bound, so an estimate that is right on average would let
    /// about half of them overrun it; the reserve covers the rate's spread. Default: 0.1.
    /// </summary>
    [Range(0.0, 0.9)]
    public double QueueWaitReserve { get; set; } = 0.1;

    /// <summary>
    /// Decoded and working image memory that the requests being served may hold together, in MB (see
    /// <see cref="Admission.WorkingMemoryBudget"/>); a request that does not fit is answered 429 before its image is
    /// decoded. Unset (the default): <see cref="Admission.WorkingMemoryBudget.DefaultShareOfAvailableMemory"/> of the
    /// memory the runtime may use, which is the container's limit or <c>DOTNET_GCHeapHardLimit</c> where one is set, less
    /// the room kept for runs of sized CPU tiles (<see cref="CpuTileMegabytes"/>).
    /// </summary>
    [Range(1, 1_048_576)]
    public int? MemoryBudgetMegabytes { get; set; }

    /// <summary>
    /// Least wait a rejected caller is told before retrying; a full queue says how long its excess takes at the
    /// measured drain rate where that is longer. Default: 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QueueFullRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Limit on one batch's native run; past it the run is terminated. Default: 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InferenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On shutdown the service drains what it admitted for up to the host's shutdown timeout; this long before that
    /// timeout, the requests still queued are answered 503 (<c>model_not_ready</c>, retry elsewhere) rather than cut
    /// off unanswered when it expires. Default: 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainReserve { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Once no request has held image memory for this long, the pooled pixel buffers are handed back and the heap is
    /// compacted, so that an idle service shrinks back towards its size after warm-up (<see cref="IdleMemoryTrimmer"/>).
    /// Default: 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TrimMemoryWhenIdleFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run every batch size 1..<see cref="MaxBatchTiles"/> on every session before the model is ready. Default: true.</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Whether readiness (<c>/readyz</c>) needs every model found to serve; false: ready while at least one does.
    /// Default: true, so that an orchestrator does not route traffic to a replica whose models are broken.
    /// </summary>
    public bool RequireEveryModelForReadiness { get; set; } = true;

    /// <summary>Model ids to serve; empty serves every model found under <see cref="ModelsRoot"/>. Default: empty.</summary>
    public IList<string> Models { get; set; } = [];

    /// <summary>
    /// Precisions to serve (<c>Fp32</c>, <c>Int8</c>); empty serves fp32 and every other precision a card offers. Each
    /// precision of a model has sessions, a queue and statistics of its own. Default: empty.
    /// </summary>
    public IList<ModelPrecision> Precisions { get; set; } = [];

    /// <summary>Recent samples the live statistics (percentiles, mean batch size) are computed over. Default: 1024.</summary>
    [Range(16, 1_000_000)]
    public int StatsWindow { get; set; } = 1024;

    /// <summary>The breaker around the CUDA sessions; while it is open batches run on CPU sessions.</summary>
    [ValidateObjectMembers]
    public CircuitBreakerSettings CircuitBreaker { get; set; } = new();

    internal string ResolveModelsRoot() => Path.GetFullPath(ModelsRoot, AppContext.BaseDirectory);
}
