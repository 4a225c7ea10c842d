using System.Diagnostics.Metrics;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Jobs;

/// <summary>
/// The jobs in <c>/metrics</c>: how many are held in each state, and the tiles done of all the tiles of those not yet
/// finished, which is their progress.
/// </summary>
internal sealed class JobMetrics
{
    private const string Done = "done";
    private const string Total = "total";

    public JobMetrics(IMeterFactory meterFactory, JobStore store)
    {
        var meter = meterFactory.Create(TelemetryNames.Meter);
        meter.CreateObservableGauge(TelemetryNames.Jobs, () => Enum.GetValues<JobState>().Select(state =>
            new Measurement<int>(store.All.Count(job => job.State == state), new KeyValuePair<string, object?>(TelemetryNames.Tags.State, WireNames.Of(state)))),
            "{job}", "Jobs held, by state.");
        meter.CreateObservableGauge(TelemetryNames.JobTiles, () => UnfinishedTiles(store), "{tile}", "Tiles of the unfinished jobs: done, and in all.");
    }

    private static IEnumerable<Measurement<long>> UnfinishedTiles(JobStore store)
    {
        var unfinished = store.All.Where(job => job.State is JobState.Queued or JobState.Running).Select(job => job.Progress).ToList();
        yield return new Measurement<long>(unfinished.Sum(progress => (long)progress.Done), new KeyValuePair<string, object?>(TelemetryNames.Tags.Tiles, Done));
        yield return new Measurement<long>(unfinished.Sum(progress => (long)progress.Total), new KeyValuePair<string, object?>(TelemetryNames.Tags.Tiles, Total));
    }
}
