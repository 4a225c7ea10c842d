using System.ComponentModel.DataAnnotations;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Configuration;

/// <summary>The "Api" section: what the HTTP layer accepts and answers by default.</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body (raw image or whole multipart form) in bytes; larger uploads get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Deadline of one restoration request, from its first byte to its answer: past it the work still queued for it is
    /// dropped and it answers 504 <c>timeout</c>. Default: 60 s, the read timeout of common reverse proxies.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Slowest upload, on average, that is kept once <see cref="UploadRateGracePeriod"/> has passed; slower ones answer
    /// 408 <c>upload_too_slow</c>. Default: 240 bytes/s, Kestrel's own.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MinUploadBytesPerSecond { get; set; } = 240;

    /// <summary>
    /// How long an upload may arrive slower than <see cref="MinUploadBytesPerSecond"/>. Default: 30 s, six times
    /// Kestrel's, because a server busy restoring reads its sockets late, and that is not the client's fault; the
    /// <see cref="RequestTimeout"/> still bounds a slow client.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan UploadRateGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most pixels an upload to the synchronous endpoints may have; a larger one answers 413 with a pointer to the job
    /// API (<c>POST /v1/jobs/{task}</c>), which takes every image within the image limits. Default: 4,194,304 (2048²),
    /// a few seconds of the slowest model here, well inside <see cref="RequestTimeout"/>.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long SynchronousMaxPixels { get; set; } = 2048 * 2048;

    /// <summary>Variant used when a request names none.</summary>
    public ModelVariant DefaultVariant { get; set; } = ModelVariant.Lightweight;

    /// <summary>Precision used when a request names none. Default: fp32, the precision every model is served in.</summary>
    public ModelPrecision DefaultPrecision { get; set; } = ModelPrecision.Fp32;

    /// <summary>Whether Swagger UI and the OpenAPI document are served (under <c>/swagger</c>); off in a production that does not want them.</summary>
    public bool SwaggerUi { get; set; } = true;

    /// <summary>
    /// Whether the playground (a page that runs both variants of a task and compares them with the input) is served at
    /// <c>/</c>, with the sample photographs under <c>/samples</c>.
    /// </summary>
    public bool Playground { get; set; } = true;

    /// <summary>Encoding used when a request names none, neither in <c>format</c> nor in <c>Accept</c>.</summary>
    public ImageFormat DefaultFormat { get; set; } = ImageFormat.Png;
}
