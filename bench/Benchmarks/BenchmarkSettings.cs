using System.Globalization;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>Command line: see <see cref="Usage"/>.</summary>
internal sealed record BenchmarkSettings(string ModelsRoot, string Output, TimeSpan Duration, int MaxBatch, int Callers, int Threads,
    IReadOnlyList<SessionConfig> Configs, BenchmarkMode Mode, IReadOnlySet<string> Ids, ModelPrecision[] Precisions)
{
    public const string Usage = "Usage: [--models DIR] [--out FILE] [--seconds N] [--max-batch N] [--callers N] [--threads N] [--configs SxT,SxT] " +
                                "[--ids ID,ID] [--precisions fp32,int8] [--gpu-check | --tile-latency | --whole-image | --tile-cost | --tile-sizing | --profile]";

    private static readonly Dictionary<string, BenchmarkMode> Modes = new(StringComparer.Ordinal)
    {
        ["gpu-check"] = BenchmarkMode.GpuCheck,
        ["tile-latency"] = BenchmarkMode.TileLatency,
        ["whole-image"] = BenchmarkMode.WholeImage,
        ["tile-cost"] = BenchmarkMode.TileCost,
        ["tile-sizing"] = BenchmarkMode.TileSizing,
        ["profile"] = BenchmarkMode.Profile,
    };

    /// <summary>Whether the model is measured: it has a valid card and, when <c>--ids</c> was given, is one of them.</summary>
    public bool Selects(ModelDescriptor model) => model.Card is not null && (Ids.Count == 0 || Ids.Contains(model.Id));

    /// <summary>The selected models in every precision their cards offer, or in those of <c>--precisions</c>.</summary>
    public IEnumerable<ModelDescriptor> SelectedModelsInEachPrecision() => ModelRepository.Discover(ModelsRoot, [], Precisions).Where(Selects);

    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var mode = BenchmarkMode.Throughput;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && Modes.TryGetValue(args[i][2..], out var chosen))
            {
                mode = chosen;
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

        int Number(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchmarkSettings(
            Path.GetFullPath(values.GetValueOrDefault("models", "models")),
            Path.GetFullPath(values.GetValueOrDefault("out", Path.Combine("docs", "benchmarks.md"))),
            TimeSpan.FromSeconds(Number("seconds", 3)),
            Number("max-batch", 8),
            Number("callers", 16),
            Number("threads", 0),
            values.TryGetValue("configs", out var configs) ? SessionConfig.ParseList(configs) : SessionConfig.Defaults,
            mode,
            List(values, "ids").ToHashSet(StringComparer.Ordinal),
            List(values, "precisions").Select(ParsePrecision).ToArray());
    }

    private static string[] List(Dictionary<string, string> values, string key) =>
        values.GetValueOrDefault(key, "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ModelPrecision ParsePrecision(string name) => WireNames.TryParse<ModelPrecision>(name, out var precision)
        ? precision
        : throw new ArgumentException($"Unknown precision '{name}' (known: {string.Join(", ", WireNames.All<ModelPrecision>())}). {Usage}");
}

internal enum BenchmarkMode
{
    Throughput,
    GpuCheck,
    TileLatency,
    WholeImage,
    TileCost,
    TileSizing,
    Profile,
}
