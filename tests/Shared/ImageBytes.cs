using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;

namespace LiteRestore.Tests.Shared;

internal static class ImageBytes
{
    /// <summary>The image as a file in the encoder's format.</summary>
    public static byte[] Of(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }
}
