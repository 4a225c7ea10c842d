using System.Globalization;

namespace LiteRestore.LoadTest.Load;

/// <summary>One step of a sweep: a concurrency (closed model) or an arrival rate in requests per second (open model).</summary>
internal sealed record LoadLevel(LoadModel Model, double Value)
{
    public static LoadLevel Concurrency(int clients) => new(LoadModel.Closed, clients);

    public static LoadLevel Rate(double requestsPerSecond) => new(LoadModel.Open, requestsPerSecond);

    public string Label => Model == LoadModel.Closed
        ? string.Create(CultureInfo.InvariantCulture, $"c={Value}")
        : string.Create(CultureInfo.InvariantCulture, $"{Value:0.##}/s");
}
