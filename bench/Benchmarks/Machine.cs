using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Benchmarks;

internal static class Machine
{
    public static string Describe(BenchmarkSettings settings) =>
        $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPU(s), " +
        $"{RuntimeInformation.FrameworkDescription}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}; " +
        $"models from `{Path.GetRelativePath(Environment.CurrentDirectory, settings.ModelsRoot)}`.";

    public static string DescribeThreads(BenchmarkSettings settings) =>
        $"Intra-op threads: {(settings.Threads == 0 ? "ONNX Runtime's default" : settings.Threads)}.";
}
