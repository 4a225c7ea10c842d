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
internal sealed record RestorationRequest(RestorationTask Task, RestorationQuery Query, int? Scale = null);

/// <summary>
/// The path every restoration shares: resolve the model, read and decode the upload, restore and encode. The
/// synchronous endpoints run it whole and answer with the image and its timing headers, or with a coded problem; the
/// job API runs the restoring part in the background.
/// </summary>
internal sealed class RestorationPipeline(
    IRestorationEngine engine,
    UploadReader uploads,
    IImageCodec codec,
    IRestorationTelemetry telemetry,
    IOptions<ApiOptions> options)
{

    public Task<Results<FileContentHttpResult, ProblemHttpResult>> RunAsync(
        RestorationRequest request, HttpContext context, CancellationToken cancellationToken) =>
        AnswerAsync(context, async outcome =>
        {
            var target = Resolve(request, context.Request);
            outcome.Model = target.Model;

            var decodeStarted = Stopwatch.GetTimestamp();
            using var upload = await uploads.ReadAsync(context.Request, target.Purpose(options.Value.SynchronousMaxPixels), cancellationToken);
            var decode = Stopwatch.GetElapsedTime(decodeStarted);
            telemetry.RecordDecode(decode);

            var output = await RestoreAsync(target, upload, progress: null, background: false, cancellationToken);
            var total = Stopwatch.GetElapsedTime(outcome.Started);
            Record(target.Model, TelemetryNames.Outcomes.Success, outcome.Started);

            var headers = context.Response.Headers;
            headers[ResponseHeaders.ModelId] = output.Result.ModelId;
            headers[ResponseHeaders.ModelVariant] = WireNames.Of(target.Settings.Variant);
            headers[ResponseHeaders.ModelPrecision] = WireNames.Of(target.Model.Precision);
            headers[ResponseHeaders.ExecutionProvider] = output.Result.Provider;
            headers[ResponseHeaders.ServerTiming] = ServerTiming(
                ("decode", decode), ("queue", output.Result.QueueWait), ("infer", output.Result.Inference), ("encode", output.Encode),
                ("total", total), ("batches", output.Result.BatchTime));
            headers[HeaderNames.Vary] = HeaderNames.Accept;
            return TypedResults.Bytes(output.Bytes, ImageMediaTypes.ByFormat[target.Settings.Format]);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> and answers what it returns, or the failure every restoration endpoint shares: a
    /// coded problem, the deadline passing, or the client going away. Each failure is counted once the model is known.
    /// </summary>
    public async Task<Results<TResult, ProblemHttpResult>> AnswerAsync<TResult>(
        HttpContext context, Func<RequestOutcome, Task<TResult>> work, CancellationToken cancellationToken)
        where TResult : IResult
    {
        var outcome = new RequestOutcome(Stopwatch.GetTimestamp());
        try
        {
            return await work(outcome);
        }
        catch (RestorationException e)
        {
            Record(outcome.Model, e.Code, outcome.Started);
            return Problem(e, context.Response);
        }
        catch (OperationCanceledException) when (RestorationDeadline.HasPassed(context))
        {
            Record(outcome.Model, ErrorCodes.Timeout, outcome.Started);
            return ApiProblems.Create(ErrorCodes.Timeout, RestorationDeadline.Detail(options.Value.RequestTimeout));
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested || e.CancellationToken == cancellationToken)
        {
            // The client went away (its connection may not have reported it yet): the request counts as cancelled, not
            // as failed, and the status nobody reads is the one proxies log for it.
            Record(outcome.Model, TelemetryNames.Outcomes.Cancelled, outcome.Started);
            context.Abort();
            return TypedResults.Problem(statusCode: StatusCodes.Status499ClientClosedRequest);
        }
    }

    /// <summary>
    /// The model, variant and answer format <paramref name="request"/> asks for; throws a coded
    /// <see cref="RestorationException"/> where no model serves it.
    /// </summary>
    public RestorationTarget Resolve(RestorationRequest request, HttpRequest http)
    {
        var settings = RestorationSettings.Resolve(request.Query, http, options.Value);
        var (model, scale) = ResolveModel(request, settings);
        return new RestorationTarget(request.Task, model, scale, settings);
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

    /// <summary>Counts a finished request by its outcome, once its model is known.</summary>
    public void Record(ModelKey? model, string outcome, long started)
    {
        if (model is not null)
        {
            telemetry.RecordRequest(model, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The coded problem of <paramref name="e"/>, with its <c>Retry-After</c> where retrying can succeed.</summary>
    public static ProblemHttpResult Problem(RestorationException e, HttpResponse response)
    {
        if (e.RetryAfter is { } retryAfter)
        {
            ApiProblems.SetRetryAfter(response, retryAfter);
        }

        return ApiProblems.Create(e.Code, e.Message);
    }

    /// <summary>The model that serves the request in its precision, and its scale (1 while its card is not known).</summary>
    private (ModelKey Model, int Scale) ResolveModel(RestorationRequest request, RestorationSettings settings)
    {
        var variant = settings.Variant;
        var variantName = WireNames.Of(variant);
        var taskName = WireNames.Of(request.Task);
        var modelId = engine.ResolveModelId(request.Task, variant);
        if (modelId is null)
        {
            // A folder whose card cannot be read may hold exactly the model asked for: that is a broken installation
            // to retry elsewhere, not a model that was never installed.
            var unreadable = engine.GetModels().Where(model => model.Card is null).Select(model => model.Id).Distinct().ToList();
            throw unreadable.Count > 0
                ? new RequestRejectedException(ErrorCodes.ModelNotReady,
                    $"No {taskName} model in the {variantName} variant serves, and the cards of {string.Join(", ", unreadable)} cannot be read (GET /v1/models gives the reasons).")
                : new RequestRejectedException(ErrorCodes.ModelNotFound, $"No {taskName} model is installed in the {variantName} variant.");
        }

        var model = new ModelKey(modelId, settings.Precision);
        if (!engine.TryGetCard(model, out var card))
        {
            var offered = engine.GetModels().Where(m => m.Id == modelId).Select(m => WireNames.Of(m.Precision));
            throw new RequestRejectedException(ErrorCodes.ModelNotFound,
                $"The {variantName} {taskName} model '{modelId}' is not served in {WireNames.Of(settings.Precision)}; it is in: {string.Join(", ", offered)}.");
        }

        var modelScale = card?.Scale;
        if (request.Scale is { } scale && modelScale is { } served && scale != served)
        {
            throw new RequestRejectedException(
                ErrorCodes.RequestInvalid, $"scale={scale} is not offered: the {variantName} model '{modelId}' enlarges {modelScale}x.");
        }

        return (model, modelScale ?? 1);
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
