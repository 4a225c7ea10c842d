using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>
/// Decodes hostile uploads (PNG, JPEG and WebP only; dimensions checked with Identify before decoding; EXIF orientation
/// applied; metadata stripped) and encodes results, a greyscale result as a greyscale PNG or JPEG. Rejections are
/// <see cref="ImageRejectedException"/>s.
/// </summary>
public interface IImageCodec
{
    /// <summary>The checked dimensions from the header alone, before any pixel is decoded; the stream must be seekable and is rewound.</summary>
    Task<ImageDimensions> IdentifyAsync(Stream source, CancellationToken cancellationToken);

    Task<Image<Rgba64>> DecodeAsync(Stream source, CancellationToken cancellationToken);

    Task EncodeAsync(Image<Rgba64> image, ImageFormat format, Stream destination, CancellationToken cancellationToken);

    /// <summary>Hands the pooled pixel buffers the codec keeps between images back to the system.</summary>
    void ReleaseRetainedMemory();
}
