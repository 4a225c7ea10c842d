using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>Models roots assembled for a test run in a temporary folder.</summary>
internal static class ModelFolders
{
    /// <summary>A denoise model in the experimental variant with a valid card whose ONNX file is not a network.</summary>
    public const string CorruptModel = "fx-corrupt";

    private const string TemplateModel = "fx-identity";

    /// <summary>The fixture denoiser in the lightweight variant.</summary>
    public const string LightweightDenoiser = "fx-conv";

    /// <summary>A copy of the fixture models plus <see cref="CorruptModel"/>.</summary>
    public static string FixturesWithCorruptModel()
    {
        var root = CopyOfFixtures();
        var corrupt = Directory.CreateDirectory(Path.Combine(root, CorruptModel)).FullName;
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.FixtureModels, TemplateModel, "model.json")))!;
        var onnx = "not an ONNX graph"u8.ToArray();
        File.WriteAllBytes(Path.Combine(corrupt, card["file"]!.GetValue<string>()), onnx);
        card["id"] = CorruptModel;
        card["variant"] = "experimental";
        card["fileBytes"] = onnx.Length;
        card["sha256"] = Convert.ToHexStringLower(SHA256.HashData(onnx));
        File.WriteAllText(Path.Combine(corrupt, "model.json"), card.ToJsonString());
        return root;
    }

    /// <summary>A copy of the fixture models in which <see cref="LightweightDenoiser"/>'s card is cut short.</summary>
    public static string FixturesWithUnreadableCard()
    {
        var root = CopyOfFixtures();
        File.WriteAllText(Path.Combine(root, LightweightDenoiser, "model.json"), "{ \"id\": ");
        return root;
    }

    private static string CopyOfFixtures()
    {
        var root = Directory.CreateTempSubdirectory("literestore-models-").FullName;
        foreach (var source in Directory.EnumerateDirectories(RepositoryPaths.FixtureModels))
        {
            var target = Directory.CreateDirectory(Path.Combine(root, Path.GetFileName(source))).FullName;
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        return root;
    }
}
