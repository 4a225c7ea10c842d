using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>What a model does to a picture. Serialised in kebab case: denoise, super-resolve, inpaint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestorationTask>))]
public enum RestorationTask
{
    [JsonStringEnumMemberName("denoise")] Denoise,
    [JsonStringEnumMemberName("super-resolve")] SuperResolve,
    [JsonStringEnumMemberName("inpaint")] Inpaint,
}

/// <summary>Which network of a task: the full-capacity baseline, the lightweight one, or an experiment that is never a default.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelVariant>))]
public enum ModelVariant
{
    [JsonStringEnumMemberName("baseline")] Baseline,
    [JsonStringEnumMemberName("lightweight")] Lightweight,
    [JsonStringEnumMemberName("experimental")] Experimental,
}

/// <summary>Encodings the service can answer with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    [JsonStringEnumMemberName("png")] Png,
    [JsonStringEnumMemberName("jpeg")] Jpeg,
    [JsonStringEnumMemberName("webp")] Webp,
}

/// <summary>Where a model stands in its life cycle.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelAvailability>))]
public enum ModelAvailability
{
    [JsonStringEnumMemberName("loading")] Loading,
    [JsonStringEnumMemberName("ready")] Ready,
    [JsonStringEnumMemberName("unavailable")] Unavailable,
}
