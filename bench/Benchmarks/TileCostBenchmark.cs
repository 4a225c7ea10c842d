using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Measures what the engine's CPU sessions of each selected denoise and super-resolution model take per input pixel of
/// square tiles from the native side up to five times it, in each precision, and writes it to the model's
/// <see cref="TileCostTable"/>, which the engine sizes its CPU tiles from. All of a model's sessions run the same tile
/// at once, as they do serving a large image, so that they share the caches and memory bus as they will then; the
/// sizes take turns, and the fastest round of each counts, since on a shared machine anything slower is others' load.
/// Run it on a quiet machine.
/// </summary>
internal static class TileCostBenchmark
{
    private const int Rounds = 5;
    private static readonly double[] SideFactors = [1, 1.25, 1.5, 2, 3, 4, 5];

    public static string Run(BenchmarkSettings settings)
    {
        var inference = new InferenceOptions { ExecutionProvider = ExecutionProviderPreference.Cpu };
        var factory = new SessionFactory(inference);
        var measured = $"{DateTime.UtcNow:yyyy-MM-dd} on {Processor()}, {Environment.ProcessorCount} logical CPU(s), ONNX Runtime " +
                       $"{Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}: all CPU sessions of the engine running a tile at " +
                       $"once, the fastest of {Rounds} rounds (bench/Benchmarks --tile-cost)";
        var rows = new List<string[]>();
        foreach (var model in settings.SelectedModelsInEachPrecision().Where(m => m.Card!.Task != RestorationTask.Inpaint).ToList())
        {
            using var sessions = factory.Create(model);
            var points = Measure(sessions.Primary.Sessions);
            var kept = TileCostFile.Read(model.Folder)?.Curves.Where(curve => curve.Precision != model.Precision) ?? [];
            TileCostFile.Write(model.Folder, new TileCostTable
            {
                Measured = measured,
                Curves = [.. kept, new TileCostCurve(model.Precision, points)],
            });
            rows.Add([model.Id, WireNames.Of(model.Precision), .. points.Select(p =>
                string.Create(CultureInfo.InvariantCulture, $"{p.Side}: {p.MicrosecondsPerPixel:0.000} ({p.MicrosecondsPerPixel / points[0].MicrosecondsPerPixel:0.00}x)"))]);
        }

        return new StringBuilder()
            .Append("## Tile costs\n\n").Append(Machine.Describe(settings))
            .Append(CultureInfo.InvariantCulture, $" Microseconds per input pixel that each of the engine's {EngineLayouts.For(inference, cuda: false).Sessions} CPU sessions took ")
            .Append("when all ran a square tile of the side shown at once, and against the native tile; the engine sizes CPU tiles ")
            .Append("from these numbers, which this run wrote to each model's `tile-cost.json`:\n\n")
            .Append(MarkdownReport.Table(["model", "precision", .. SideFactors.Select(f => $"{f:0.##}x native side")], rows))
            .ToString();
    }

    private static TileCostPoint[] Measure(IReadOnlyList<PinnedSession> sessions)
    {
        var native = sessions[0].Shape;
        var sides = SideFactors.Select(f => (int)Math.Round(f * native.Width)).ToArray();
        var tiles = sides.Select(side => sessions.Select(_ => Filled(native with { Width = side, Height = side })).ToArray()).ToArray();
        try
        {
            var best = sides.Select(_ => double.MaxValue).ToArray();
            for (var round = 0; round <= Rounds; round++)
            {
                foreach (var i in round % 2 == 0 ? Enumerable.Range(0, sides.Length) : Enumerable.Range(0, sides.Length).Reverse())
                {
                    var seconds = RunTogether(sessions, tiles[i]);
                    if (round > 0)
                    {
                        // the first round is not counted: it allocates each shape's arena memory
                        best[i] = Math.Min(best[i], seconds);
                    }
                }
            }

            return sides.Select((side, i) => new TileCostPoint(side, Math.Round(best[i] * 1e6 / ((double)side * side), 3))).ToArray();
        }
        finally
        {
            foreach (var tile in tiles.SelectMany(t => t))
            {
                tile.Dispose();
            }
        }
    }

    private static double RunTogether(IReadOnlyList<PinnedSession> sessions, SizedTiles[] tiles)
    {
        var started = Stopwatch.GetTimestamp();
        Parallel.For(0, sessions.Count, new ParallelOptions { MaxDegreeOfParallelism = sessions.Count },
            i => sessions[i].Run(tiles[i], CancellationToken.None));
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static SizedTiles Filled(TileShape shape)
    {
        var tiles = new SizedTiles(shape, batch: 1);
        var random = new Random(1);
        var input = tiles.InputTile(0);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSingle();
        }

        return tiles;
    }

    private static string Processor()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var name = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return name ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
