using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>Where an asynchronous job stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    /// <summary>Waiting for room in the model's queue, or for its first tile to finish.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}
