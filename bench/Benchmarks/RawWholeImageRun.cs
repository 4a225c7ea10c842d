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

    /// <summary>With <paramref name="profilePrefix"/>, ONNX Runtime's profiler records every node of every run (<see cref="EndProfiling"/>).</summary>
    public RawWholeImageRun(ModelDescriptor model, string? profilePrefix = null)
    {
        Model = model;
        var card = model.Card!;
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        if (profilePrefix is not null)
        {
            // the prefix first: enabling the profiler hands ONNX Runtime the prefix set at that moment
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }

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
        RunOnce();
        return Task.CompletedTask;
    }, slice).GetAwaiter().GetResult();

    /// <summary>One whole image.</summary>
    public void RunOnce()
    {
        using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
    }

    /// <summary>Stops the profiler and gives the path of the trace it wrote.</summary>
    public string EndProfiling() => session.EndProfiling();

    public void Dispose()
    {
        runOptions.Dispose();
        input.Dispose();
        session.Dispose();
    }
}
