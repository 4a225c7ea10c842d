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
