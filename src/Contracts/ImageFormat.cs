using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>Encodings the service can answer with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    [JsonStringEnumMemberName("png")] Png,
    [JsonStringEnumMemberName("jpeg")] Jpeg,
    [JsonStringEnumMemberName("webp")] Webp,
}
