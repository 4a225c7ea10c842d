using System.Buffers.Binary;
using System.Text.Json;
using LiteRestore.Contracts;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference.Tests.Infrastructure;

/// <summary>A parity fixture written by <c>training/</c>: an input, the output PyTorch computed for it, and the tolerance.</summary>
internal sealed record ParityFixture(long[] InputShape, float[] Input, long[] OutputShape, float[] Output, double Tolerance)
{
    public static ParityFixture Read(string path)
    {
        using var parity = JsonDocument.Parse(File.ReadAllBytes(path));
        var (inputShape, input) = Tensor(parity.RootElement.GetProperty("input"));
        var (outputShape, output) = Tensor(parity.RootElement.GetProperty("output"));
        return new ParityFixture(inputShape, input, outputShape, output, parity.RootElement.GetProperty("tolerance").GetDouble());
    }

    /// <summary>Runs the fixture's input through <paramref name="session"/>; the output has the fixture's shape.</summary>
    public float[] Run(InferenceSession session, ModelCard card)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(Input, InputShape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [card.Input.Name], [value], [card.Output.Name]);
        Assert.Equal(OutputShape, outputs[0].GetTensorTypeAndShape().Shape);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static double LargestDifference(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        }

        return worst;
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
