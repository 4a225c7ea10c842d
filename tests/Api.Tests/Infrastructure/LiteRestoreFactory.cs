using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>
/// The whole service in memory on the CPU provider, configured by <see cref="Settings"/>; a test class gets it once it
/// reports ready. Rate limiting is off unless a factory turns it on: every in-memory client shares one partition.
/// </summary>
public abstract class LiteRestoreFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(100);

    protected abstract IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>What the service has logged so far, past its configured level filters.</summary>
    public RecordingLogProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:ExecutionProvider"] = "Cpu",
            ["RateLimiting:Enabled"] = "false",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public virtual async Task InitializeAsync()
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + ReadyDeadline;
        while ((await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The service was not ready within {ReadyDeadline}.");
            }

            await Task.Delay(ReadyPoll);
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

/// <summary>
/// The engine's fixture networks — fx-identity (denoise baseline), fx-conv (denoise lightweight), fx-sr-nearest,
/// fx-inpaint — and <see cref="ModelFolders.CorruptModel"/>, whose sessions cannot be created.
/// </summary>
public sealed class FixtureModelsFactory : LiteRestoreFactory
{
    public const long MaxRequestBodyBytes = 1024 * 1024;
    public const int MaxPixels = 128 * 128;

    private readonly string root = ModelFolders.FixturesWithCorruptModel();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = root,
        ["Inference:RequireEveryModelForReadiness"] = "false",  // the corrupt model never serves
        ["Api:MaxRequestBodyBytes"] = MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture),
        ["ImageLimits:MaxPixels"] = MaxPixels.ToString(CultureInfo.InvariantCulture),
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>The fixture models with <see cref="ModelFolders.LightweightDenoiser"/>'s card unreadable; readiness relaxed.</summary>
public sealed class UnreadableCardFactory : LiteRestoreFactory
{
    private readonly string root = ModelFolders.FixturesWithUnreadableCard();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = root,
        ["Inference:RequireEveryModelForReadiness"] = "false",
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>The fixture models with <c>Api:SwaggerUi</c> and <c>Api:Playground</c> off.</summary>
public sealed class SwaggerOffFactory : LiteRestoreFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.FixtureModels,
        ["Api:SwaggerUi"] = "false",
        ["Api:Playground"] = "false",
    };
}

/// <summary>An empty models folder: the service lives but never becomes ready.</summary>
public sealed class NoModelsFactory : LiteRestoreFactory
{
    private readonly string root = Directory.CreateTempSubdirectory("literestore-empty-").FullName;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = root,
    };

    public override Task InitializeAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>
/// fx-endless (denoise, experimental): every batch runs until the inference timeout stops it; one session and a queue
/// of one tile, so that a flood of requests finds the queue full however many cores the machine has.
/// </summary>
public sealed class EndlessModelFactory : LiteRestoreFactory
{
    public static readonly TimeSpan InferenceTimeout = TimeSpan.FromSeconds(1);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.EndlessModels,
        ["Inference:WarmUp"] = "false",
        ["Inference:InferenceTimeout"] = InferenceTimeout.ToString(),
        ["Inference:SessionsPerModel"] = "1",
        ["Inference:QueueCapacityTiles"] = "1",
        ["Inference:MaxBatchTiles"] = "1",
    };
}

/// <summary>The fixture networks behind a per-client limit of two requests and no refill within a test run.</summary>
public sealed class RateLimitedFactory : LiteRestoreFactory
{
    public const int Burst = 2;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.FixtureModels,
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:TokenLimit"] = Burst.ToString(CultureInfo.InvariantCulture),
        ["RateLimiting:TokensPerPeriod"] = "1",
        ["RateLimiting:ReplenishmentPeriod"] = "01:00:00",
    };
}

/// <summary>
/// The serving networks of <c>models/</c>, warmed up at batch size 1 only (quality does not depend on batching); the
/// service starts only once one of them exists.
/// </summary>
public sealed class TrainedModelsFactory : LiteRestoreFactory
{
    public static readonly string[] ServingModels =
        ["denoise-baseline", "denoise-lightweight", "sr4-baseline", "sr4-lightweight", "inpaint-baseline", "inpaint-lightweight"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(
        ServingModels.Select((id, index) => KeyValuePair.Create($"Inference:Models:{index}", (string?)id)))
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.Models,
        ["Inference:MaxBatchTiles"] = "1",
    };

    public override Task InitializeAsync() =>
        ServingModels.Any(RepositoryPaths.IsTrained) ? base.InitializeAsync() : Task.CompletedTask;
}

/// <summary>fx-endless behind a request deadline far shorter than its inference timeout: the deadline ends every request.</summary>
public sealed class DeadlineFactory : LiteRestoreFactory
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(500);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.EndlessModels,
        ["Inference:WarmUp"] = "false",
        ["Inference:InferenceTimeout"] = TimeSpan.FromMinutes(10).ToString(),
        ["Inference:SessionsPerModel"] = "1",
        ["Api:RequestTimeout"] = RequestTimeout.ToString(),
    };
}

/// <summary>The fixture networks behind Kestrel on a loopback port, for what only a real socket shows.</summary>
public sealed class KestrelFactory : LiteRestoreFactory
{
    public KestrelFactory() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.FixtureModels,
    };

    public override Task InitializeAsync()
    {
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return base.InitializeAsync();
    }
}
