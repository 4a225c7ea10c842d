using LiteRestore.Inference;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Benchmarks;

/// <summary>One model's raw session on every core, and a whole image's input for it.</summary>
internal sealed class RawWholeImageRun : IDisposable
{
    /// <summary>The image side measured: 1024 px, and its quarter for super-resolution so that both return 1024² pixels.</summary>
    public const int OutputSide = 1024;

    private readonly InferenceSession session;
    private readonly OrtValue input;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly RunOptions runOptions = new();

    public RawWholeImageRun(ModelDescriptor model)
    {
        Model = model;
        var card = model.Card!;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        session = new InferenceSession(model.ModelPath, options);
        var side = OutputSide / card.Scale;
        var random = new Random(1);
        var values = new float[card.Input.Channels * side * side];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle();
        }

        input = OrtValue.CreateTensorValueFromMemory(values, [1, card.Input.Channels, side, side]);
        inputNames = [card.Input.Name];
        outputNames = [card.Output.Name];
    }

    public ModelDescriptor Model { get; }

    /// <summary>Images per second over whole runs for at least <paramref name="slice"/>.</summary>
    public double Measure(TimeSpan slice) => SliceRate.MeasureAsync(() =>
    {
        using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
        return Task.CompletedTask;
    }, slice).GetAwaiter().GetResult();

    public void Dispose()
    {
        runOptions.Dispose();
        input.Dispose();
        session.Dispose();
    }
}
