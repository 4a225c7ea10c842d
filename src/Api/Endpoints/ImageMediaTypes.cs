using LiteRestore.Contracts;

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
}
