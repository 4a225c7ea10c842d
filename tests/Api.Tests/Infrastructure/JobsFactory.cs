using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>
/// The job API over <see cref="ModelsRoot"/>, on a clock the tests move, with a synchronous limit of
/// <see cref="SynchronousMaxPixels"/>, room for <see cref="MaxJobs"/> jobs and results in a folder of its own.
/// </summary>
public abstract class JobsFactory : LiteRestoreFactory
{
    public const int SynchronousMaxPixels = 32 * 32;
    public const int MaxJobs = 3;
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    private readonly string folder = Directory.CreateTempSubdirectory("literestore-jobs-").FullName;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string ResultsFolder => folder;

    protected abstract string ModelsRoot { get; }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = ModelsRoot,
        ["Inference:WarmUp"] = "false",
        ["Inference:InferenceTimeout"] = TimeSpan.FromMinutes(10).ToString(),
        ["Api:SynchronousMaxPixels"] = SynchronousMaxPixels.ToString(CultureInfo.InvariantCulture),
        ["Jobs:MaxJobs"] = MaxJobs.ToString(CultureInfo.InvariantCulture),
        ["Jobs:TimeToLive"] = TimeToLive.ToString(),
        ["Jobs:Folder"] = folder,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Jobs on the fixture networks, which finish in milliseconds.</summary>
public sealed class FixtureJobsFactory : JobsFactory
{
    protected override string ModelsRoot => RepositoryPaths.FixtureModels;
}

/// <summary>Jobs on fx-endless, which never finish by themselves, behind a memory budget of 1 MB.</summary>
public sealed class EndlessJobsFactory : JobsFactory
{
    protected override string ModelsRoot => RepositoryPaths.EndlessModels;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Inference:MemoryBudgetMegabytes"] = "1",
    };
}
