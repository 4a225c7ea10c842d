using System.Text.Json.Serialization;

namespace LiteRestore.LoadTest.Images;

/// <summary>One upload the load tester sends: the encoded image and, for inpainting, the mask of its hole.</summary>
internal sealed record TestImage(string Name, int Width, int Height, [property: JsonIgnore] byte[] Content, string MediaType, [property: JsonIgnore] byte[]? Mask)
{
    private const double PixelsPerMegapixel = 1_000_000;

    public double Megapixels => Width * (double)Height / PixelsPerMegapixel;

    public long Bytes => Content.LongLength;
}
