using LiteRestore.Api.Configuration;
using LiteRestore.Contracts;
using Microsoft.Net.Http.Headers;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// Which network variant runs, in which precision, and how the answer is encoded: from the query, <c>Accept</c> and the
/// configured defaults.
/// </summary>
internal readonly record struct RestorationSettings(ModelVariant Variant, ImageFormat Format, ModelPrecision Precision)
{
    public static RestorationSettings Resolve(RestorationQuery query, HttpRequest request, ApiOptions defaults) =>
        new(string.IsNullOrEmpty(query.Variant) ? defaults.DefaultVariant : Parse<ModelVariant>(query.Variant, "variant"),
            string.IsNullOrEmpty(query.Format) ? Negotiate(request, defaults.DefaultFormat) : Parse<ImageFormat>(query.Format, "format"),
            string.IsNullOrEmpty(query.Precision) ? defaults.DefaultPrecision : Parse<ModelPrecision>(query.Precision, "precision"));

    private static TEnum Parse<TEnum>(string text, string parameter)
        where TEnum : struct, Enum =>
        WireNames.TryParse<TEnum>(text, out var value)
            ? value
            : throw new RequestRejectedException(
                ErrorCodes.RequestInvalid,
                $"'{text}' is not a valid {parameter}; use one of: {string.Join(", ", WireNames.All<TEnum>())}.");

    /// <summary>
    /// The most preferred encoding the client accepts; wildcards choose the default. A client that accepts none of
    /// them gets the default too: RFC 9110 lets a server disregard Accept rather than answer 406.
    /// </summary>
    private static ImageFormat Negotiate(HttpRequest request, ImageFormat fallback)
    {
        var candidates = ImageMediaTypes.ByFormat
            .OrderBy(pair => pair.Key != fallback)
            .Select(pair => (Format: pair.Key, MediaType: new MediaTypeHeaderValue(pair.Value)))
            .ToList();
        var ranges = request.GetTypedHeaders().Accept
            .Where(range => range.Quality is not 0)
            .OrderByDescending(range => range.Quality ?? 1);
        foreach (var range in ranges)
        {
            foreach (var (candidate, mediaType) in candidates)
            {
                if (mediaType.IsSubsetOf(range))
                {
                    return candidate;
                }
            }
        }

        return fallback;
    }
}
