namespace LiteRestore.Inference.Tests.Infrastructure;

internal static class Fixtures
{
    public static string Models => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models");

    public static string Endless => Path.Combine(AppContext.BaseDirectory, "Fixtures", "endless");

    /// <summary>The repository's models/ folder (the trained models), found by walking up to the solution file.</summary>
    public static string? RepositoryModels
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LiteRestore.sln")))
                {
                    var models = Path.Combine(dir.FullName, "models");
                    return Directory.Exists(models) ? models : null;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Models exported elsewhere whose parity must also hold: CI points LITERESTORE_EXTRA_PARITY_DIR at the training
    /// pipeline's smoke export, so every architecture's export is checked against ONNX Runtime.
    /// </summary>
    public static string? ExtraParityModels => Environment.GetEnvironmentVariable("LITERESTORE_EXTRA_PARITY_DIR") is { Length: > 0 } dir
        ? dir
        : null;

    /// <summary>A copy of the fixture models in a fresh temporary folder, for tests that break a card.</summary>
    public static string CopyModels()
    {
        var root = Directory.CreateTempSubdirectory("literestore-models-").FullName;
        foreach (var file in Directory.EnumerateFiles(Models, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(Models, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return root;
    }
}
