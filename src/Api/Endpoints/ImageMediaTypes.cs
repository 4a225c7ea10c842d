using LiteRestore.Contracts;
using Microsoft.Net.Http.Headers;

namespace LiteRestore.Api.Endpoints;

/// <summary>The media type of each output encoding; uploads may be any of them.</summary>
internal static class ImageMediaTypes
{
    public static readonly IReadOnlyDictionary<ImageFormat, string> ByFormat = new Dictionary<ImageFormat, string>
    {
        [ImageFormat.Png] = "image/png",
        [ImageFormat.Jpeg] = "image/jpeg",
        [ImageFormat.Webp] = "image/webp",
    };

    public static IReadOnlyList<string> All { get; } = [.. ByFormat.Values];

    public const string AnyImage = "image/*";

    /// <summary>Whether <paramref name="contentType"/> names an image of any kind (a raw upload).</summary>
    public static bool IsImage(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.IsSubsetOf(new MediaTypeHeaderValue(AnyImage));
}
