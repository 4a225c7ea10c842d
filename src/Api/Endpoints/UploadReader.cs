using System.IO.Pipelines;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Problems;
using LiteRestore.Api.Telemetry;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Endpoints;

/// <summary>The decoded upload; disposing it releases both images.</summary>
internal sealed class Upload(Image<Rgba64> image, Image<Rgba64>? mask) : IDisposable
{
    public Image<Rgba64> Image { get; } = image;

    public Image<Rgba64>? Mask { get; } = mask;

    public void Dispose()
    {
        Image.Dispose();
        Mask?.Dispose();
    }
}

/// <summary>
/// Reads an upload from a multipart form (field <c>image</c>, and <c>mask</c> where the task takes one) or from a raw
/// <c>image/*</c> body, and decodes it. Everything a client can get wrong becomes a coded <see cref="RestorationException"/>.
/// </summary>
internal sealed class UploadReader(IImageCodec codec, IOptions<ApiOptions> options)
{
    public const string ImageField = "image";
    public const string MaskField = "mask";

    public async Task<Upload> ReadAsync(HttpRequest request, bool acceptsMask, CancellationToken cancellationToken)
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
                return await ReadFormAsync(request, acceptsMask, cancellationToken);
            }

            if (IsImage(request.ContentType))
            {
                using var body = await BufferAsync(request.BodyReader, limit, cancellationToken);
                return new Upload(await codec.DecodeAsync(body, cancellationToken), mask: null);
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is BadHttpRequestException or InvalidDataException or IOException)
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
            $"Send multipart/form-data with a file field '{ImageField}', or a raw image/* body; got '{request.ContentType ?? "no Content-Type"}'.");
    }

    private async Task<Upload> ReadFormAsync(HttpRequest request, bool acceptsMask, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var imageFile = SingleFile(form, ImageField)
            ?? throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"The form has no file field '{ImageField}'.");
        var maskFile = SingleFile(form, MaskField);
        if (maskFile is not null && !acceptsMask)
        {
            throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"Only inpainting takes a '{MaskField}' field; this task restores the whole image.");
        }

        var image = await DecodeAsync(imageFile, cancellationToken);
        try
        {
            return new Upload(image, maskFile is null ? null : await DecodeAsync(maskFile, cancellationToken));
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static IFormFile? SingleFile(IFormCollection form, string field) => form.Files.GetFiles(field) switch
    {
        [] => null,
        [var file] => file,
        var files => throw new RequestRejectedException(ErrorCodes.RequestInvalid, $"The form has {files.Count} files in the field '{field}'; send one."),
    };

    private async Task<Image<Rgba64>> DecodeAsync(IFormFile file, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            throw Empty($"The file field '{file.Name}'");
        }

        await using var stream = file.OpenReadStream();
        return await codec.DecodeAsync(stream, cancellationToken);
    }

    private static bool IsImage(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.IsSubsetOf(new MediaTypeHeaderValue(ImageMediaTypes.AnyImage));

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

    private static RequestRejectedException Empty(string what) => new(ErrorCodes.ImageInvalid, $"{what} is empty.");

    private static RequestRejectedException TooLarge(long limit) =>
        new(ErrorCodes.ImageTooLarge, $"The request body exceeds the limit of {limit} bytes.");
}
