using System.Diagnostics;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Telemetry;

/// <summary>The HTTP layer's spans (decode, encode) on the LiteRestore activity source, beside the engine's queue and inference spans.</summary>
internal static class ApiActivities
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);
}
