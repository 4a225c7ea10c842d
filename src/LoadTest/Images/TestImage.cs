using System.Net.Http.Headers;
using System.Text.Json.Serialization;

namespace LiteRestore.LoadTest.Images;

/// <summary>One upload the load tester sends: the encoded image and, for inpainting, the mask of its hole.</summary>
internal sealed record TestImage(string Name, int Width, int Height, [property: JsonIgnore] byte[] Content, string MediaType, [property: JsonIgnore] byte[]? Mask)
{
    private const double PixelsPerMegapixel = 1_000_000;
    private const string MaskMediaType = "image/png";

    public double Megapixels => Width * (double)Height / PixelsPerMegapixel;

    public long Bytes => Content.LongLength;

    /// <summary>A raw image body, or a multipart form with <c>image</c> and <c>mask</c> when there is a mask.</summary>
    public HttpContent CreateContent()
    {
        if (Mask is null)
        {
            return Part(Content, MediaType);
        }

        return new MultipartFormDataContent
        {
            { Part(Content, MediaType), "image", Name },
            { Part(Mask, MaskMediaType), "mask", "mask.png" },
        };
    }

    private static ByteArrayContent Part(byte[] bytes, string mediaType) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };
}
