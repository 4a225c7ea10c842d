using System.ComponentModel.DataAnnotations;

namespace LiteRestore.Api.Jobs;

/// <summary>The "Jobs" section: how many asynchronous jobs are kept, for how long, and where their results are.</summary>
internal sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Jobs held at once, running or finished and not yet expired; past it a new job answers 429. Default: 16.</summary>
    [Range(1, 100_000)]
    public int MaxJobs { get; set; } = 16;

    /// <summary>
    /// How long a job lives from its creation: then it is deleted with its result, and cancelled if it still runs.
    /// Default: 1 h.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Folder the results are written to; its <c>*.result</c> files are the service's own and are deleted at start-up
    /// and shutdown. Empty (the default): a folder of this process's own under the system's temporary folder.
    /// </summary>
    public string Folder { get; set; } = "";

    /// <summary>Most megabytes of results kept on disk together; a result past it fails its job. Default: 1024.</summary>
    [Range(1, 1_048_576)]
    public int QuotaMegabytes { get; set; } = 1024;

    internal string ResolveFolder() =>
        string.IsNullOrEmpty(Folder) ? Path.Combine(Path.GetTempPath(), $"literestore-jobs-{Environment.ProcessId}") : Path.GetFullPath(Folder);
}
