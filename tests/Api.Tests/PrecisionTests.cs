using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>A model served in fp32 and int8: each precision is listed, has its own statistics and carries its own tags.</summary>
public sealed class PrecisionTests(TrainedModelsFactory factory) : IClassFixture<TrainedModelsFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [ModelFact("denoise-baseline")]
    public async Task ModelsListsEachPrecisionAModelIsServedInWithTheInt8QualityMeasured()
    {
        var models = (await client.GetFromJsonAsync<ModelStatus[]>("/v1/models"))!.Where(model => model.Id == "denoise-baseline").ToList();

        Assert.Equal([ModelPrecision.Fp32, ModelPrecision.Int8], models.Select(model => model.Precision).Order());
        Assert.All(models, model => Assert.Equal(ModelAvailability.Ready, model.Availability));
        var int8 = Assert.Single(models.Single(model => model.Precision == ModelPrecision.Int8).Card!.Precisions);
        Assert.True(int8.QuantisedConvolutions > 0);
        Assert.NotEmpty(int8.Validation);
    }

    [ModelFact("denoise-baseline")]
    public async Task AnInt8RequestCountsTowardsTheInt8ModelAndItsMetricsOnly()
    {
        var before = await StatusAsync("fp32");

        using var response = await client.PostFormAsync("/v1/denoise?variant=baseline&precision=int8", TestImages.Png(TestImages.Photo()));

        response.EnsureSuccessStatusCode();
        Assert.True((await StatusAsync("int8")).Stats!.Requests >= 1);
        Assert.Equal(before.Stats!.Requests, (await StatusAsync("fp32")).Stats!.Requests);
        var metrics = (await client.GetStringAsync("/metrics")).Split('\n');
        Assert.Contains(metrics, line => line.StartsWith(TelemetryNames.Requests.Replace('.', '_'), StringComparison.Ordinal)
            && line.Contains("model=\"denoise-baseline\"", StringComparison.Ordinal) && line.Contains("precision=\"int8\"", StringComparison.Ordinal));
    }

    private async Task<ModelStatus> StatusAsync(string precision) =>
        (await client.GetFromJsonAsync<ModelStatus>($"/v1/models/denoise-baseline?precision={precision}"))!;
}
