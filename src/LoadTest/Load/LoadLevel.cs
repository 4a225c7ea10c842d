using System.Globalization;
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

/// <summary>One step of a sweep: a concurrency (closed model) or an arrival rate in requests per second (open model).</summary>
internal sealed record LoadLevel(LoadModel Model, double Value)
{
    public static LoadLevel Concurrency(int clients) => new(LoadModel.Closed, clients);

    public static LoadLevel Rate(double requestsPerSecond) => new(LoadModel.Open, requestsPerSecond);

    public string Label => Model == LoadModel.Closed
        ? string.Create(CultureInfo.InvariantCulture, $"c={Value}")
        : string.Create(CultureInfo.InvariantCulture, $"{Value:0.##}/s");
}
