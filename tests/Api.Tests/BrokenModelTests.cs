using System.Net;
using System.Net.Http.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>A model folder whose card cannot be read is a broken installation, and says so without server paths.</summary>
public sealed class BrokenModelTests(UnreadableCardFactory factory) : IClassFixture<UnreadableCardFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AVariantWhoseCardCannotBeReadAnswers503Not404()
    {
        using var response = await client.PostRawAsync("/v1/denoise?variant=lightweight", TestImages.Png(TestImages.Gradient(8, 8)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.ModelNotReady);
        Assert.Contains(ModelFolders.LightweightDenoiser, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheModelListGivesTheReasonWithoutTheServersPaths()
    {
        var models = (await client.GetFromJsonAsync<ModelStatus[]>("/v1/models"))!;

        var broken = Assert.Single(models, model => model.Id == ModelFolders.LightweightDenoiser);
        Assert.Equal(ModelAvailability.Unavailable, broken.Availability);
        Assert.Contains($"{ModelFolders.LightweightDenoiser}/model.json", broken.Reason, StringComparison.Ordinal);
        Assert.All(models, model => Assert.DoesNotContain(Path.GetTempPath(), model.Reason ?? string.Empty, StringComparison.Ordinal));
    }
}
