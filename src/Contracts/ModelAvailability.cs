using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>Where a model stands in its life cycle.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelAvailability>))]
public enum ModelAvailability
{
    [JsonStringEnumMemberName("loading")] Loading,
    [JsonStringEnumMemberName("ready")] Ready,
    [JsonStringEnumMemberName("unavailable")] Unavailable,
}
