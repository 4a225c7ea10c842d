using System.Text.Json.Serialization;

namespace LiteRestore.LoadTest.Load;

[JsonConverter(typeof(JsonStringEnumConverter<LoadModel>))]
internal enum LoadModel
{
    /// <summary>A fixed number of clients, each sending its next request when the last one is answered.</summary>
    [JsonStringEnumMemberName("closed")] Closed,

    /// <summary>Requests arrive on a fixed schedule whether or not earlier ones were answered.</summary>
    [JsonStringEnumMemberName("open")] Open,
}
