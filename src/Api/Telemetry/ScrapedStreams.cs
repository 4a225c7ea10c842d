using System.Diagnostics.Metrics;
using LiteRestore.Contracts;
using OpenTelemetry.Metrics;

namespace LiteRestore.Api.Telemetry;

/// <summary>
/// The one metric view: which instruments this host exports, and under what name. A host exports only the meters its
/// own <see cref="IMeterFactory"/> created, besides unscoped ones (runtime, process, Polly's): a provider sees every
/// meter of a name in the process, so several hosts in one process (the tests) would otherwise count each other's
/// requests. Of Polly's instruments only its event counter is kept; the batches' durations are the LiteRestore meter's.
/// Each of <see cref="GaugeRenames"/> is exported under its new name.
/// </summary>
internal sealed class ScrapedStreams(IMeterFactory ownMeters)
{
    public MetricStreamConfiguration? For(Instrument instrument)
    {
        if (instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, ownMeters))
        {
            return MetricStreamConfiguration.Drop;
        }

        if (instrument.Meter.Name == TelemetryNames.Resilience.Meter && instrument.Name != TelemetryNames.Resilience.Events)
        {
            return MetricStreamConfiguration.Drop;
        }

        return GaugeRenames.ByInstrument.TryGetValue(instrument.Name, out var name) ? new MetricStreamConfiguration { Name = name } : null;
    }
}
