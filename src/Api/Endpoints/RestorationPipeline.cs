using System.Diagnostics;
using System.Globalization;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Problems;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Endpoints;

/// <summary>What one restoration request asks for, as bound from the query string.</summary>
internal sealed record RestorationRequest(RestorationTask Task, string? Variant, string? Format, int? Scale = null);

/// <summary>
/// The path every restoration endpoint shares: resolve the model, read and decode the upload, restore, encode, and
/// answer with the image and its timing headers, or with a coded problem.
/// </summary>
internal sealed class RestorationPipeline(
    IRestorationEngine engine,
    UploadReader uploads,
    IImageCodec codec,
    IRestorationTelemetry telemetry,
    IOptions<ApiOptions> options)
{
    public const string ModelIdHeader = "X-Model-Id";
    public const string ModelVariantHeader = "X-Model-Variant";
    public const string ExecutionProviderHeader = "X-Execution-Provider";
    public const string ServerTimingHeader = "Server-Timing";

    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> RunAsync(
        RestorationRequest request, HttpContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? modelId = null;
        try
        {
            var settings = RestorationSettings.Resolve(request.Variant, request.Format, context.Request, options.Value);
            (modelId, var scale) = ResolveModel(request, settings.Variant);
            var purpose = new UploadPurpose(request.Task, scale);

            var decodeStarted = Stopwatch.GetTimestamp();
            using var upload = await uploads.ReadAsync(context.Request, purpose, cancellationToken);
            var decode = Stopwatch.GetElapsedTime(decodeStarted);
            telemetry.RecordDecode(decode);

            var result = await engine.RestoreAsync(new RestorationJob(modelId, upload.Image, upload.Mask), cancellationToken);
            using var restored = result.Image;

            var encodeStarted = Stopwatch.GetTimestamp();
            var encoded = await EncodeAsync(restored, settings.Format, cancellationToken);
            var encode = Stopwatch.GetElapsedTime(encodeStarted);
            telemetry.RecordEncode(modelId, encode);

            var total = Stopwatch.GetElapsedTime(started);
            telemetry.RecordRequest(modelId, TelemetryNames.Outcomes.Success, total);

            var headers = context.Response.Headers;
            headers[ModelIdHeader] = result.ModelId;
            headers[ModelVariantHeader] = WireNames<ModelVariant>.Of(settings.Variant);
            headers[ExecutionProviderHeader] = result.Provider;
            headers[ServerTimingHeader] = ServerTiming(
                ("decode", decode), ("queue", result.QueueWait), ("infer", result.Inference), ("encode", encode), ("total", total),
                ("batches", result.BatchTime));
            headers[HeaderNames.Vary] = HeaderNames.Accept;
            return TypedResults.Bytes(encoded, ImageMediaTypes.ByFormat[settings.Format]);
        }
        catch (RestorationException e)
        {
            if (modelId is not null)
            {
                telemetry.RecordRequest(modelId, e.Code, Stopwatch.GetElapsedTime(started));
            }

            if (e.RetryAfter is { } retryAfter)
            {
                ApiProblems.SetRetryAfter(context.Response, retryAfter);
            }

            return ApiProblems.Create(e.Code, e.Message);
        }
        catch (OperationCanceledException) when (RestorationDeadline.HasPassed(context))
        {
            if (modelId is not null)
            {
                telemetry.RecordRequest(modelId, ErrorCodes.Timeout, Stopwatch.GetElapsedTime(started));
            }

            return ApiProblems.Create(ErrorCodes.Timeout, RestorationDeadline.Detail(options.Value.RequestTimeout));
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested || e.CancellationToken == cancellationToken)
        {
            // The client went away (its connection may not have reported it yet): the request counts as cancelled, not
            // as failed, and the status nobody reads is the one proxies log for it.
            if (modelId is not null)
            {
                telemetry.RecordRequest(modelId, TelemetryNames.Outcomes.Cancelled, Stopwatch.GetElapsedTime(started));
            }

            context.Abort();
            return TypedResults.Problem(statusCode: StatusCodes.Status499ClientClosedRequest);
        }
    }

    /// <summary>The model that serves the request, and its scale (1 while its card is not known).</summary>
    private (string Id, int Scale) ResolveModel(RestorationRequest request, ModelVariant variant)
    {
        var variantName = WireNames<ModelVariant>.Of(variant);
        var taskName = WireNames<RestorationTask>.Of(request.Task);
        var modelId = engine.ResolveModelId(request.Task, variant);
        if (modelId is null)
        {
            // A folder whose card cannot be read may hold exactly the model asked for: that is a broken installation
            // to retry elsewhere, not a model that was never installed.
            var unreadable = engine.GetModels().Where(model => model.Card is null).Select(model => model.Id).ToList();
            throw unreadable.Count > 0
                ? new RequestRejectedException(ErrorCodes.ModelNotReady,
                    $"No {taskName} model in the {variantName} variant serves, and the cards of {string.Join(", ", unreadable)} cannot be read (GET /v1/models gives the reasons).")
                : new RequestRejectedException(ErrorCodes.ModelNotFound, $"No {taskName} model is installed in the {variantName} variant.");
        }

        var modelScale = engine.GetModel(modelId)?.Card?.Scale;
        if (request.Scale is { } scale && modelScale is { } offered && scale != offered)
        {
            throw new RequestRejectedException(
                ErrorCodes.RequestInvalid, $"scale={scale} is not offered: the {variantName} model '{modelId}' enlarges {modelScale}x.");
        }

        return (modelId, modelScale ?? 1);
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
