namespace LiteRestore.Benchmarks;

/// <summary>Command line: <c>[--models DIR] [--out FILE] [--seconds N] [--max-batch N] [--callers N] [--threads N] [--gpu-check]</c>.</summary>
internal sealed record BenchmarkSettings(string ModelsRoot, string Output, TimeSpan Duration, int MaxBatch, int Callers, int Threads, bool GpuCheck)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var gpuCheck = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--gpu-check")
            {
                gpuCheck = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'. {Usage}");
            }
        }

        int Number(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return new BenchmarkSettings(
            Path.GetFullPath(values.GetValueOrDefault("models", "models")),
            Path.GetFullPath(values.GetValueOrDefault("out", Path.Combine("docs", "benchmarks.md"))),
            TimeSpan.FromSeconds(Number("seconds", 3)),
            Number("max-batch", 8),
            Number("callers", 16),
            Number("threads", 0),
            gpuCheck);
    }

    public const string Usage = "Usage: [--models DIR] [--out FILE] [--seconds N] [--max-batch N] [--callers N] [--threads N] [--gpu-check]";
}
