using LiteRestore.Contracts;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace LiteRestore.Inference;

/// <summary>
/// PNG, JPEG and WebP only (ImageSharp 2.1 has unfixed advisories in formats we do not need), on an allocator with a
/// hard limit. Dimensions are read with Identify and capped before any pixel is decoded. PNG results are written by
/// <see cref="PngWriter"/>, on every core.
/// </summary>
internal sealed class ImageCodec : IImageCodec
{
    private const ushort Opaque = ushort.MaxValue;

    private readonly Configuration configuration;
    private readonly ImageLimitsOptions limits;
    private readonly int pngLevel;

    public ImageCodec(IOptions<ImageLimitsOptions> limits, IOptions<ImageEncodingOptions> encoding)
    {
        this.limits = limits.Value;
        pngLevel = encoding.Value.PngCompressionLevel;
        configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new WebpConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = this.limits.AllocatorLimitMegabytes }),
        };
    }

    public async Task<Image<Rgba64>> DecodeAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stream = source;
        if (!source.CanSeek)
        {
            stream = new MemoryStream();
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            stream.Position = 0;
        }

        try
        {
            return Decode(stream);
        }
        finally
        {
            if (stream != source)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task EncodeAsync(Image<Rgba64> image, ImageFormat format, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grey = Greyscale.IsGrey(image);
        if (format == ImageFormat.Png)
        {
            var sixteenBit = image.Metadata.GetPngMetadata().BitDepth == PngBitDepth.Bit16;
            return PngWriter.WriteAsync(image, new PngLayout(Colour: !grey, Alpha: HasTransparency(image), sixteenBit), pngLevel, destination,
                cancellationToken);
        }

        IImageEncoder encoder = format == ImageFormat.Jpeg
            ? new JpegEncoder { ColorType = grey ? JpegColorType.Luminance : null }
            : new WebpEncoder();
        return image.SaveAsync(destination, encoder, cancellationToken);
    }

    public void ReleaseRetainedMemory() => configuration.MemoryAllocator.ReleaseRetainedResources();

    public Task<ImageDimensions> IdentifyAsync(Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanSeek)
        {
            throw new ArgumentException("Identify reads the header and rewinds: the stream must be seekable.", nameof(source));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var start = source.Position;
        try
        {
            return Task.FromResult(DecoderFailures.AsRejections(() => Inspect(source)));
        }
        finally
        {
            source.Position = start;
        }
    }

    private Image<Rgba64> Decode(Stream stream) => DecoderFailures.AsRejections(() =>
    {
        var start = stream.Position;
        Inspect(stream);
        stream.Position = start;
        var image = Image.Load<Rgba64>(configuration, stream);
        try
        {
            image.Mutate(context => context.AutoOrient());
            DecodedMetadata.Strip(image);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    });

    /// <summary>Format, metadata and size checks from the header alone; the dimensions after EXIF orientation.</summary>
    private ImageDimensions Inspect(Stream stream)
    {
        var start = stream.Position;
        if (stream.Length - start == 0)
        {
            throw new ImageRejectedException(ErrorCodes.ImageInvalid, "The image is empty.");
        }

        var format = Image.DetectFormat(configuration, stream)
            ?? throw new ImageRejectedException(ErrorCodes.MediaTypeUnsupported, "Only PNG, JPEG and WebP images are accepted.");
        stream.Position = start;
        if (format is PngFormat)
        {
            PngMetadataGuard.Check(stream, limits.MaxMetadataBytes);
        }

        var info = Image.Identify(configuration, stream)
            ?? throw new ImageRejectedException(ErrorCodes.ImageInvalid, "The image's header cannot be read.");
        return CheckSize(info);
    }

    /// <summary>Caps width, height and pixels as they will be once EXIF orientation has been applied.</summary>
    private ImageDimensions CheckSize(IImageInfo info)
    {
        var orientation = info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? ExifOrientationMode.TopLeft;
        var turned = orientation is ExifOrientationMode.LeftTop or ExifOrientationMode.RightTop or ExifOrientationMode.RightBottom or ExifOrientationMode.LeftBottom;
        var (width, height) = turned ? (info.Height, info.Width) : (info.Width, info.Height);
        // A PNG's 32-bit width of 2^32 - 1 reads as -1: a header that lies about its size is an invalid image.
        if (width <= 0 || height <= 0)
        {
            throw new ImageRejectedException(ErrorCodes.ImageInvalid, $"The image's header declares {width}x{height} pixels.");
        }

        if (width > limits.MaxWidth || height > limits.MaxHeight || (long)width * height > limits.MaxPixels)
        {
            throw new ImageRejectedException(ErrorCodes.ImageTooLarge,
                $"The image is {width}x{height}; at most {limits.MaxWidth}x{limits.MaxHeight} and {limits.MaxPixels} pixels are accepted.");
        }

        return new ImageDimensions(width, height);
    }

    private static bool HasTransparency(Image<Rgba64> image)
    {
        var transparent = false;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height && !transparent; y++)
            {
                foreach (var pixel in accessor.GetRowSpan(y))
                {
                    if (pixel.A != Opaque)
                    {
                        transparent = true;
                        break;
                    }
                }
            }
        });
        return transparent;
    }
}
