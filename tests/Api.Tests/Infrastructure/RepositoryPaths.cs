namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>Folders of the repository the tests read: the trained models and the engine's fixture networks.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The trained networks, <c>models/&lt;id&gt;</c>.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>The engine's tiny deterministic networks (identity, small conv, nearest 4x, grey fill).</summary>
    public static string FixtureModels => Path.Combine(Root, "tests", "Inference.Tests", "Fixtures", "models");

    /// <summary>A network that never finishes, for timeouts and full queues.</summary>
    public static string EndlessModels => Path.Combine(Root, "tests", "Inference.Tests", "Fixtures", "endless");

    public static bool IsTrained(string modelId) => File.Exists(Path.Combine(Models, modelId, "model.json"));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LiteRestore.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No LiteRestore.sln above {AppContext.BaseDirectory}.");
    }
}
