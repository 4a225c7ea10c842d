using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>Which network of a task: the full-capacity baseline, the lightweight one, or an experiment that is never a default.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelVariant>))]
public enum ModelVariant
{
    [JsonStringEnumMemberName("baseline")] Baseline,
    [JsonStringEnumMemberName("lightweight")] Lightweight,
    [JsonStringEnumMemberName("experimental")] Experimental,
}
