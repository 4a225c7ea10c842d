using LiteRestore.Contracts;

namespace LiteRestore.LoadTest.Http;

/// <summary>The parts of one model's <c>GET /v1/models</c> entry a load level is compared on.</summary>
internal sealed record ModelSnapshot(
    string Id,
    ModelAvailability Availability,
    string? Provider,
    EngineLayout? Engine,
    long? ResidentBytes,
    long? PeakWorkingBytes,
    double? MeanBatchSize,
    long? Requests,
    long? Failures,
    LatencyPercentiles? ServerTotalMs)
{
    public static ModelSnapshot From(ModelStatus status) => new(
        status.Id,
        status.Availability,
        status.Provider,
        status.Engine,
        status.Memory?.ResidentBytes,
        status.Memory?.WorkingBytesByBatchSize.Values.DefaultIfEmpty().Max(),
        status.Stats?.MeanBatchSize,
        status.Stats?.Requests,
        status.Stats?.Failures,
        status.Stats?.TotalMs);
}
