extern alias Service;

using LiteRestore.Client;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SixLabors.ImageSharp;

namespace LiteRestore.Benchmarks;

/// <summary>
/// The HTTP service in process, on its defaults but for the one model it serves, restoring one whole PNG image of
/// random pixels (a 1024² output) at a time through <see cref="LiteRestoreClient"/>: upload, decode, restore, encode
/// and the answer's bytes read, as a caller sees it.
/// </summary>
internal sealed class WholeImageService : WebApplicationFactory<Service::Program>
{
    private const string ContentRootVariable = "ASPNETCORE_TEST_CONTENTROOT_LITERESTORE_API";
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(100);

    private readonly ModelDescriptor model;
    private readonly string modelsRoot;
    private readonly byte[] png;
    private LiteRestoreClient? client;

    private WholeImageService(ModelDescriptor model, string modelsRoot)
    {
        this.model = model;
        this.modelsRoot = modelsRoot;
        using var image = RandomImages.Opaque(RawWholeImageRun.OutputSide / model.Card!.Scale, seed: 1);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        png = stream.ToArray();
    }

    public static async Task<WholeImageService> StartAsync(ModelDescriptor model, string modelsRoot)
    {
        // The service's content (its appsettings.json) is copied next to this tool; outside a test project the
        // factory would look for a source folder named after the service's assembly.
        Environment.SetEnvironmentVariable(ContentRootVariable, AppContext.BaseDirectory);
        var service = new WholeImageService(model, modelsRoot);
        var http = service.CreateClient();
        while (!(await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
        {
            await Task.Delay(ReadyPoll);
        }

        service.client = new LiteRestoreClient(http);
        await service.MeasureAsync(TimeSpan.Zero); // uncounted: the first sized runs grow the arenas
        return service;
    }

    /// <summary>Images per second over whole requests for at least <paramref name="slice"/>.</summary>
    public Task<double> MeasureAsync(TimeSpan slice)
    {
        var choices = new RestoreOptions { Variant = model.Card!.Variant, Precision = model.Precision };
        return SliceRate.MeasureAsync(() => client!.RestoreAsync(model.Card.Task, png, choices), slice);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:ModelsRoot"] = modelsRoot,
            ["Inference:ExecutionProvider"] = "Cpu",
            ["Inference:Models:0"] = model.Id,
            ["Inference:Precisions:0"] = model.Precision.ToString(),
            ["RateLimiting:Enabled"] = "false",
        };
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
    }
}
