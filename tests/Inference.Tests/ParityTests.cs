using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference.Tests;

/// <summary>Every model folder with a parity.json (the fixtures, the repository's models/ and LITERESTORE_EXTRA_PARITY_DIR): ONNX Runtime on CPU reproduces the PyTorch output.</summary>
public sealed class ParityTests
{
    private const double MaxTolerance = 1e-4;

    public static TheoryData<string> ModelFolders()
    {
        var data = new TheoryData<string>();
        foreach (var root in new[] { Fixtures.Models, Fixtures.RepositoryModels, Fixtures.ExtraParityModels }.OfType<string>())
        {
            foreach (var folder in Directory.EnumerateDirectories(root).Where(f => File.Exists(Path.Combine(f, "parity.json"))).Order())
            {
                data.Add(folder);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelFolders))]
    public void OnnxRuntimeMatchesThePyTorchOutput(string folder)
    {
        var model = ModelRepository.Read(Path.GetFileName(folder), folder);
        Assert.Null(model.Error);
        var fixture = ParityFixture.Read(Path.Combine(folder, "parity.json"));
        var tolerance = Math.Min(fixture.Tolerance, MaxTolerance);

        using var session = new InferenceSession(model.ModelPath);
        var worst = ParityFixture.LargestDifference(fixture.Run(session, model.Card!), fixture.Output);

        Assert.True(worst <= tolerance, $"{folder}: largest difference {worst:g3} > {tolerance:g3}");
    }
}
