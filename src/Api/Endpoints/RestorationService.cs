using System.Diagnostics;
using System.Globalization;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// The path every restoration shares: resolve the model, read and decode the upload, restore and encode. The
/// synchronous endpoints run it whole; the job API runs the restoring part in the background. Failures are exceptions
/// that <see cref="Problems.ProblemExceptionHandler"/> answers.
/// </summary>
internal sealed class RestorationService(
    IRestorationEngine engine,
    UploadReader uploads,
    IImageCodec codec,
    IRestorationTelemetry telemetry,
    IOptions<ApiOptions> options)
{
    /// <summary>Runs a synchronous restoration whole and answers with the image and its timing headers.</summary>
    public async Task<FileContentHttpResult> RunAsync(RestorationRequest request, HttpContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var target = Resolve(request, context.Request);

        var decodeStarted = Stopwatch.GetTimestamp();
        using var upload = await uploads.ReadAsync(context.Request, target.Purpose(options.Value.SynchronousMaxPixels), cancellationToken);
        var decode = Stopwatch.GetElapsedTime(decodeStarted);
        telemetry.RecordDecode(decode);

        var output = await RestoreAsync(target, upload, progress: null, background: false, cancellationToken);
        var headers = context.Response.Headers;
        headers[ResponseHeaders.ModelId] = output.Result.ModelId;
        headers[ResponseHeaders.ModelVariant] = WireNames.Of(target.Settings.Variant);
        headers[ResponseHeaders.ModelPrecision] = WireNames.Of(target.Model.Precision);
        headers[ResponseHeaders.ExecutionProvider] = output.Result.Provider;
        headers[ResponseHeaders.ServerTiming] = ServerTiming(
            ("decode", decode), ("queue", output.Result.QueueWait), ("infer", output.Result.Inference), ("encode", output.Encode),
            ("total", Stopwatch.GetElapsedTime(started)), ("batches", output.Result.BatchTime));
        headers[HeaderNames.Vary] = HeaderNames.Accept;
        return TypedResults.Bytes(output.Bytes, ImageMediaTypes.ByFormat[target.Settings.Format]);
    }

    /// <summary>
    /// The model, variant and answer format <paramref name="request"/> asks for, noted on the request for its outcome to
    /// be counted under; throws a coded <see cref="RestorationException"/> where no model serves it.
    /// </summary>
    public RestorationTarget Resolve(RestorationRequest request, HttpRequest http)
    {
        var settings = RestorationSettings.Resolve(request.Query, http, options.Value);
        var model = engine.Resolve(new ModelRequest(request.Task, settings.Variant, settings.Precision, request.Scale));
        http.HttpContext.Features.Get<RequestOutcome>()?.Model = model.Key;
        return new RestorationTarget(request.Task, model.Key, model.Scale, settings);
    }

    /// <summary>
    /// Restores the decoded <paramref name="upload"/> and encodes the result. A job passes itself as
    /// <paramref name="progress"/> and runs in the background, where the queue promises it room but no longest wait.
    /// </summary>
    public async Task<RestorationOutput> RestoreAsync(
        RestorationTarget target, Upload upload, IProgress<TileProgress>? progress, bool background, CancellationToken cancellationToken)
    {
        var result = await engine.RestoreAsync(
            new RestorationJob(target.Model.Id, upload.Image, upload.Mask, progress, background, target.Model.Precision), cancellationToken);
        using var restored = result.Image;

        var encodeStarted = Stopwatch.GetTimestamp();
        var encoded = await EncodeAsync(restored, target.Settings.Format, cancellationToken);
        var encode = Stopwatch.GetElapsedTime(encodeStarted);
        telemetry.RecordEncode(target.Model, encode);
        return new RestorationOutput(encoded, result, encode);
    }

    private async Task<ReadOnlyMemory<byte>> EncodeAsync(Image<Rgba64> image, ImageFormat format, CancellationToken cancellationToken)
    {
        using var activity = ApiActivities.Source.StartActivity(TelemetryNames.Spans.Encode);
        var buffer = new MemoryStream();
        await codec.EncodeAsync(image, format, buffer, cancellationToken);
        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>RFC-style <c>Server-Timing</c>: <c>name;dur=milliseconds</c>, comma separated.</summary>
    private static string ServerTiming(params ReadOnlySpan<(string Name, TimeSpan Elapsed)> metrics)
    {
        var parts = new List<string>(metrics.Length);
        foreach (var (name, elapsed) in metrics)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name};dur={elapsed.TotalMilliseconds:0.###}"));
        }

        return string.Join(", ", parts);
    }
}
