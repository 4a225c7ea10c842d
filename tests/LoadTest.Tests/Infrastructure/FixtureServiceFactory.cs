using LiteRestore.Api.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests.Infrastructure;

/// <summary>
/// The whole service in memory with the engine's fixture networks: fx-identity (denoise baseline), fx-conv (denoise
/// lightweight), fx-sr-nearest (super-resolve baseline) and fx-inpaint (inpaint baseline).
/// </summary>
public sealed class FixtureServiceFactory : LiteRestoreFactory
{
    public const string DenoiseBaseline = "fx-identity";
    public const string DenoiseLightweight = "fx-conv";
    public const string InpaintBaseline = "fx-inpaint";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inference:ModelsRoot"] = RepositoryPaths.FixtureModels,
    };
}
