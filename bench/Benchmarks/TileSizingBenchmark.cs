using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>
/// CPU tiles sized per request against the cards' native tiles, for every selected denoise and super-resolution model
/// in every precision: the pixels computed per pixel returned for square images of 256 to 2048 px, and a lone whole
/// image (a 1024² output) restored by the engine in either, beside one raw session running it in one <c>Run</c>, the
/// limit. The three take turns in short slices, so that a shared machine's drift falls on all of them alike.
/// </summary>
internal static class TileSizingBenchmark
{
    private const int Rounds = 10;
    private static readonly int[] Sides = [256, 512, 1024, 2048];

    public static async Task<string> RunAsync(BenchmarkSettings settings)
    {
        var models = ModelRepository.Discover(settings.ModelsRoot, [], [])
            .Where(model => settings.Selects(model) && model.Card!.Task != RestorationTask.Inpaint).ToList();
        var overheads = new List<string[]>();
        var timings = new List<string[]>();
        foreach (var model in models)
        {
            await using var native = await WholeImageEngine.StartAsync(model, settings.ModelsRoot, tileMegabytes: 0);
            await using var sized = await WholeImageEngine.StartAsync(model, settings.ModelsRoot, new InferenceOptions().CpuTileMegabytes);
            using var raw = new RawWholeImageRun(model);
            overheads.Add([model.Id, WireNames.Of(model.Precision), .. Sides.Select(side => $"{Overhead(native, side):0.00} → {Overhead(sized, side):0.00}")]);
            timings.Add(await TimeAsync(model, native, sized, raw, settings.Duration / Rounds));
        }

        var sessions = EngineLayouts.For(new InferenceOptions(), cuda: false).Sessions;
        return new StringBuilder()
            .Append("## Tiles sized per request\n\n").Append(Machine.Describe(settings))
            .Append(CultureInfo.InvariantCulture, $" The engine's CPU defaults ({sessions} single-threaded sessions per model); sized tiles take up to ")
            .Append(CultureInfo.InvariantCulture, $"{new InferenceOptions().CpuTileMegabytes} MB of working memory each, at what warm-up measured per pixel.\n\n")
            .Append("Pixels computed per pixel returned (input side; native → sized):\n\n")
            .Append(MarkdownReport.Table(["model", "precision", .. Sides.Select(side => $"{side}²")], overheads))
            .Append(CultureInfo.InvariantCulture, $"\nOne whole image at a time, a {RawWholeImageRun.OutputSide}² output; {Rounds} slices of ")
            .Append(CultureInfo.InvariantCulture, $"{(settings.Duration / Rounds).TotalSeconds:0.#} s each, the median slice shown:\n\n")
            .Append(MarkdownReport.Table(
                ["model", "precision", "tiles native → sized", "engine, native tiles (images/s)", "engine, sized tiles (images/s)", "sized against native",
                    "raw session, one Run (images/s)", "engine against raw: native, sized"], timings))
            .ToString();
    }

    private static double Overhead(WholeImageEngine engine, int side)
    {
        var sizing = engine.Sizing;
        var shape = sizing.For(side, side);
        var overlap = engine.Card.Tile.Overlap;
        var tiles = (long)new TileGrid(side, shape.Width, overlap).Starts.Length * new TileGrid(side, shape.Height, overlap).Starts.Length;
        return tiles * shape.Pixels / ((double)side * side);
    }

    private static async Task<string[]> TimeAsync(ModelDescriptor model, WholeImageEngine native, WholeImageEngine sized, RawWholeImageRun raw, TimeSpan slice)
    {
        var rates = (Native: new List<double>(), Sized: new List<double>(), Raw: new List<double>());
        raw.Measure(slice); // uncounted: the first runs allocate ONNX Runtime's arenas
        for (var round = 0; round < Rounds; round++)
        {
            // the three swap places every round, so that none always runs in another's wake
            if (round % 2 == 0)
            {
                rates.Native.Add(await native.MeasureAsync(slice));
                rates.Sized.Add(await sized.MeasureAsync(slice));
                rates.Raw.Add(raw.Measure(slice));
            }
            else
            {
                rates.Raw.Add(raw.Measure(slice));
                rates.Sized.Add(await sized.MeasureAsync(slice));
                rates.Native.Add(await native.MeasureAsync(slice));
            }
        }

        var (nativeRate, sizedRate, rawRate) = (SessionTiming.Median(rates.Native), SessionTiming.Median(rates.Sized), SessionTiming.Median(rates.Raw));
        return
        [
            model.Id, WireNames.Of(model.Precision), $"{native.Tiles} → {sized.Tiles}", Text(nativeRate), Text(sizedRate), Text(sizedRate / nativeRate) + "x",
            Text(rawRate), $"{nativeRate / rawRate:P0}, {sizedRate / rawRate:P0}",
        ];
    }

    private static string Text(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
