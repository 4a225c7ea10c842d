using SixLabors.ImageSharp;

namespace LiteRestore.LoadTest.Images;

internal static class PngEncoding
{
    public const string MediaType = "image/png";

    public static byte[] Encode(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
