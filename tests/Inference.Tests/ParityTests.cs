using System.Buffers.Binary;
using System.Text.Json;
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
        using var parity = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "parity.json")));
        var (inputShape, input) = Tensor(parity.RootElement.GetProperty("input"));
        var (outputShape, expected) = Tensor(parity.RootElement.GetProperty("output"));
        var tolerance = Math.Min(parity.RootElement.GetProperty("tolerance").GetDouble(), MaxTolerance);

        using var session = new InferenceSession(model.ModelPath);
        using var value = OrtValue.CreateTensorValueFromMemory(input, inputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [model.Card!.Input.Name], [value], [model.Card.Output.Name]);

        Assert.Equal(outputShape, outputs[0].GetTensorTypeAndShape().Shape);
        var actual = outputs[0].GetTensorDataAsSpan<float>();
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }

        Assert.True(worst <= tolerance, $"{folder}: largest difference {worst:g3} > {tolerance:g3}");
    }

    private static (long[] Shape, float[] Data) Tensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var bytes = Convert.FromBase64String(element.GetProperty("data").GetString()!);
        var data = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), data.Length);
        return (shape, data);
    }
}
