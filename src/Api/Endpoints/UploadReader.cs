using System.IO.Pipelines;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Problems;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// Reads an upload from a multipart form (field <c>image</c>, and <c>mask</c> where the task takes one) or from a raw
/// <c>image/*</c> body, reserves the memory its restoration will take in the <see cref="WorkingMemoryBudget"/> once its
/// header is read, and only then decodes it. Everything a client can get wrong becomes a coded
/// <see cref="RestorationException"/>, and so does a budget that is full.
/// </summary>
internal sealed class UploadReader(IImageCodec codec, WorkingMemoryBudget budget, IOptions<ApiOptions> options)
{
    public Task<Upload> ReadAsync(HttpRequest request, UploadPurpose purpose, CancellationToken cancellationToken) =>
        WithBodyAsync(request, purpose.Task, source => DecodeAsync(source, purpose, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the request's body, a form or a raw image, and hands <paramref name="use"/> the upload in it while the
    /// request's buffers live.
    /// </summary>
    public async Task<T> WithBodyAsync<T>(HttpRequest request, RestorationTask task, Func<UploadSource, Task<T>> use, CancellationToken cancellationToken)
    {
        using var activity = ApiActivities.Source.StartActivity(TelemetryNames.Spans.Decode);
        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        try
        {
            if (request.HasFormContentType)
            {
                return await use(await ReadFormAsync(request, task, cancellationToken));
            }

            if (ImageMediaTypes.IsImage(request.ContentType))
            {
                return await WithRawBodyAsync(request.BodyReader, limit, use, cancellationToken);
            }
        }
        catch (Exception e) when (ClientWentAway(request, e, cancellationToken))
        {
            // The body ended because the client went away, not because it sent a bad one.
            throw new OperationCanceledException("The client went away during the upload.", e, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            // The server's own body limit, or a body cut short.
            throw new RequestRejectedException(ApiProblems.CodeForStatus(e.StatusCode), e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"The request body cannot be read: {e.Message}");
        }

        throw new RequestRejectedException(
            ErrorCodes.MediaTypeUnsupported,
            $"Send multipart/form-data with a file field '{UploadFields.Image}', or a raw image/* body; got '{request.ContentType ?? "no Content-Type"}'.");
    }

    /// <summary>Reads the image's header and checks it against the limits of <paramref name="purpose"/>, decoding no pixel.</summary>
    public async Task<ImageDimensions> InspectAsync(UploadSource source, UploadPurpose purpose, CancellationToken cancellationToken)
    {
        await using var stream = source.OpenImage();
        var dimensions = await codec.IdentifyAsync(stream, cancellationToken);
        if (dimensions.Pixels > purpose.MaxPixels)
        {
            throw new RequestRejectedException(ErrorCodes.ImageTooLarge,
                $"The image has {dimensions.Width}x{dimensions.Height} pixels, more than the {purpose.MaxPixels} restored while the client waits; " +
                $"send it to POST /v1/jobs/{WireNames.Of(purpose.Task)} and collect the result when it is done.");
        }

        return dimensions;
    }

    /// <summary>
    /// Inspects the image, reserves what restoring it will take, and only then decodes it (and the mask); on failure
    /// releases whatever it had taken.
    /// </summary>
    public async Task<Upload> DecodeAsync(UploadSource source, UploadPurpose purpose, CancellationToken cancellationToken)
    {
        var dimensions = await InspectAsync(source, purpose, cancellationToken);
        var reservation = budget.Reserve(WorkingMemoryEstimate.Bytes(purpose.Task, dimensions, purpose.Scale));
        Image<Rgba64>? image = null;
        try
        {
            await using (var imageStream = source.OpenImage())
            {
                image = await codec.DecodeAsync(imageStream, cancellationToken);
            }

            Image<Rgba64>? mask = null;
            if (source.OpenMask is { } openMask)
            {
                await using var maskStream = openMask();
                mask = await codec.DecodeAsync(maskStream, cancellationToken);
            }

            return new Upload(image, mask, reservation);
        }
        catch
        {
            image?.Dispose();
            reservation.Dispose();
            throw;
        }
    }

    /// <summary>Hands <paramref name="use"/> a raw image body, buffered in memory for as long as it runs.</summary>
    private static async Task<T> WithRawBodyAsync<T>(PipeReader reader, long limit, Func<UploadSource, Task<T>> use, CancellationToken cancellationToken)
    {
        using var body = await BufferAsync(reader, limit, cancellationToken);
        var bytes = new ArraySegment<byte>(body.GetBuffer(), 0, (int)body.Length);
        return await use(new UploadSource(() => new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false), OpenMask: null));
    }

    private static async Task<UploadSource> ReadFormAsync(HttpRequest request, RestorationTask task, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var imageFile = NonEmpty(SingleFile(form, UploadFields.Image)
            ?? throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"The form has no file field '{UploadFields.Image}'."));
        var maskFile = SingleFile(form, UploadFields.Mask);
        if (maskFile is not null && task != RestorationTask.Inpaint)
        {
            throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"Only inpainting takes a '{UploadFields.Mask}' field; this task restores the whole image.");
        }

        maskFile = maskFile is null ? null : NonEmpty(maskFile);
        return new UploadSource(imageFile.OpenReadStream, maskFile is null ? null : maskFile.OpenReadStream);
    }

    private static IFormFile? SingleFile(IFormCollection form, string field) => form.Files.GetFiles(field) switch
    {
        [] => null,
        [var file] => file,
        var files => throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"The form has {files.Count} files in the field '{field}'; send one."),
    };

    private static IFormFile NonEmpty(IFormFile file) => file.Length == 0 ? throw Empty($"The file field '{file.Name}'") : file;

    /// <summary>Copies the body into memory, refusing more than <paramref name="limit"/> bytes whatever the server enforces.</summary>
    private static async Task<MemoryStream> BufferAsync(PipeReader body, long limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (buffer.Length + read.Buffer.Length > limit)
            {
                await buffer.DisposeAsync();
                throw TooLarge(limit);
            }

            foreach (var segment in read.Buffer)
            {
                buffer.Write(segment.Span);
            }

            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        if (buffer.Length == 0)
        {
            throw Empty("The request body");
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// Whether reading the body failed because the client left. The server may see the body end before it sees the
    /// connection close; but a body framed by <c>Content-Length</c> can only end short of it when the client closes its
    /// side, so that 400 means the same.
    /// </summary>
    private static bool ClientWentAway(HttpRequest request, Exception e, CancellationToken cancellationToken) =>
        (cancellationToken.IsCancellationRequested && e is BadHttpRequestException or InvalidDataException or IOException)
        || (e is BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } && request.ContentLength is not null);

    private static RequestRejectedException Empty(string what) => new(ErrorCodes.ImageInvalid, $"{what} is empty.");

    private static RequestRejectedException TooLarge(long limit) =>
        new(ErrorCodes.ImageTooLarge, $"The request body exceeds the limit of {limit} bytes.");
}
