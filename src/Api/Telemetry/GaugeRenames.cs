namespace LiteRestore.Api.Telemetry;

/// <summary>
/// Runtime and process gauges whose OpenTelemetry names end in <c>.count</c>. In Prometheus a <c>_count</c> suffix
/// belongs to a histogram's or summary's number of samples, so <c>promtool check metrics</c> rejects a gauge that carries
/// it; a metric view scrapes each under a name that says what it counts.
/// </summary>
internal static class GaugeRenames
{
    public static IReadOnlyDictionary<string, string> ByInstrument { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
        ["process.thread.count"] = "process.threads",
        ["process.unix.file_descriptor.count"] = "process.unix.file_descriptors",
    };
}
