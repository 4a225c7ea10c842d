using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task TheHostStartsAtOnceAndTheEngineTurnsReadyInTheBackground()
    {
        using var host = Build(new()
        {
            ["Inference:ModelsRoot"] = Fixtures.Models,
            ["Inference:ExecutionProvider"] = "cpu",
            ["Inference:Models:0"] = "fx-identity",
            ["Inference:MaxBatchTiles"] = "2",
            ["Inference:MaxQueueDelay"] = "00:00:00.001",
            ["ImageLimits:MaxWidth"] = "100",
        });

        await host.StartAsync();
        var engine = host.Services.GetRequiredService<IRestorationEngine>();
        for (var waited = 0; !engine.IsReady && waited < 200; waited++)
        {
            await Task.Delay(50);
        }

        Assert.True(engine.IsReady);
        Assert.Equal("fx-identity", Assert.Single(engine.GetModels()).Id);
        Assert.Equal(100, host.Services.GetRequiredService<IOptions<ImageLimitsOptions>>().Value.MaxWidth);
        Assert.Same(host.Services.GetRequiredService<IRestorationTelemetry>(), host.Services.GetRequiredService<IRestorationTelemetry>());
        Assert.NotNull(host.Services.GetRequiredService<IImageCodec>());
        using var input = TestImages.Random(5, 5);
        var result = await engine.RestoreAsync(new RestorationJob("fx-identity", input), CancellationToken.None);
        result.Image.Dispose();
        await host.StopAsync();
        Assert.False(engine.IsReady);
    }

    [Theory]
    [InlineData("Inference:MaxBatchTiles", "0")]
    [InlineData("Inference:MaxBatchTiles", "600")]
    [InlineData("Inference:SessionsPerModel", "0")]
    [InlineData("Inference:InferenceTimeout", "00:00:00")]
    [InlineData("Inference:CircuitBreaker:FailureRatio", "2")]
    [InlineData("Inference:QueueCapacityTiles", "0")]
    [InlineData("Inference:MaxQueueWait", "00:00:00")]
    [InlineData("Inference:QueueWaitReserve", "1")]
    [InlineData("ImageLimits:MaxPixels", "0")]
    [InlineData("ImageLimits:AllocatorLimitMegabytes", "-1")]
    [InlineData("ImageEncoding:PngCompressionLevel", "0")]
    [InlineData("ImageEncoding:PngCompressionLevel", "10")]
    [InlineData("Inference:NativeMmapThresholdKilobytes", "-1")]
    public async Task InvalidSettingsStopTheHostAtStartUp(string key, string value)
    {
        using var host = Build(new() { ["Inference:ModelsRoot"] = Fixtures.Models, ["Inference:Models:0"] = "fx-identity", [key] = value });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[^1], failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABatchLargerThanTheQueueStopsTheHostAtStartUp()
    {
        using var host = Build(new()
        {
            ["Inference:ModelsRoot"] = Fixtures.Models,
            ["Inference:MaxBatchTiles"] = "8",
            ["Inference:QueueCapacityTiles"] = "4",
        });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxBatchTiles (8) must not exceed QueueCapacityTiles (4)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultModelsRootIsTheModelsFolderNextToTheApp() =>
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models"), new InferenceOptions().ResolveModelsRoot());

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddRestorationEngine();
        return builder.Build();
    }
}
