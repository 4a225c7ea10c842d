using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using static LiteRestore.Benchmarks.MarkdownReport;

namespace LiteRestore.Benchmarks;

/// <summary>
/// CPU tiles sized per request against the cards' native tiles, for every selected denoise and super-resolution model
/// in every precision: the pixels computed per pixel returned for square images of 256 to 2048 px, and a lone whole
/// image (a 1024² output) restored by the engine in either and by the HTTP service, beside one raw session running it
/// in one <c>Run</c>, the limit. The four take turns in short slices, so that a shared machine's drift falls on all of
/// them alike.
/// </summary>
internal static class TileSizingBenchmark
{
    private const int Rounds = 10;
    private static readonly int[] Sides = [256, 512, 1024, 2048];

    public static async Task<string> RunAsync(BenchmarkSettings settings)
    {
        var models = settings.SelectedModelsInEachPrecision()
            .Where(model => model.Card!.Task != RestorationTask.Inpaint).ToList();
        var overheads = new List<string[]>();
        var timings = new List<string[]>();
        foreach (var model in models)
        {
            await using var native = await WholeImageEngine.StartAsync(model, settings.ModelsRoot, tileMegabytes: 0);
            await using var sized = await WholeImageEngine.StartAsync(model, settings.ModelsRoot, new InferenceOptions().CpuTileMegabytes);
            await using var service = await WholeImageService.StartAsync(model, settings.ModelsRoot);
            using var raw = new RawWholeImageRun(model);
            overheads.Add([model.Id, WireNames.Of(model.Precision), .. Sides.Select(side => $"{Overhead(native, side):0.00} → {Overhead(sized, side):0.00}")]);
            timings.Add(await TimeAsync(model, native, sized, service, raw, settings.Duration / Rounds));
        }

        var sessions = EngineLayouts.For(new InferenceOptions(), cuda: false).Sessions;
        return new StringBuilder()
            .Append("## Tiles sized per request\n\n").Append(Machine.Describe(settings))
            .Append(CultureInfo.InvariantCulture, $" The engine's CPU defaults ({sessions} single-threaded sessions per model); sized tiles take up to ")
            .Append(CultureInfo.InvariantCulture, $"{new InferenceOptions().CpuTileMegabytes} MB of working memory each, at what warm-up measured per pixel, ")
            .Append($"and their sizes follow the costs per pixel in each model's `{TileCostTable.FileName}`.\n\n")
            .Append("Pixels computed per pixel returned (input side; native → sized):\n\n")
            .Append(MarkdownReport.Table(["model", "precision", .. Sides.Select(side => $"{side}²")], overheads))
            .Append(CultureInfo.InvariantCulture, $"\nOne whole image at a time, a {RawWholeImageRun.OutputSide}² output: one raw session on every core in one `Run`, ")
            .Append("the engine in native and in sized tiles, and the HTTP service in process (its defaults: sized tiles; a PNG upload decoded, ")
            .Append(CultureInfo.InvariantCulture, $"restored and encoded); {Rounds} slices of {(settings.Duration / Rounds).TotalSeconds:0.#} s each, the median slice shown:\n\n")
            .Append(MarkdownReport.Table(
                ["model", "precision", "tiles native → sized", "raw session (images/s)", "engine, native tiles", "engine, sized tiles", "sized against native",
                    "HTTP service", "engine against raw: native, sized", "HTTP against raw"], timings))
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

    private static async Task<string[]> TimeAsync(
        ModelDescriptor model, WholeImageEngine native, WholeImageEngine sized, WholeImageService service, RawWholeImageRun raw, TimeSpan slice)
    {
        raw.Measure(slice); // uncounted: the first runs allocate ONNX Runtime's arenas
        Func<TimeSpan, Task<double>>[] contenders =
            [native.MeasureAsync, sized.MeasureAsync, service.MeasureAsync, length => Task.FromResult(raw.Measure(length))];
        var rates = contenders.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            // the order reverses every round, so that none always runs in another's wake
            foreach (var i in round % 2 == 0 ? Enumerable.Range(0, contenders.Length) : Enumerable.Range(0, contenders.Length).Reverse())
            {
                rates[i].Add(await contenders[i](slice));
            }
        }

        var (nativeRate, sizedRate, serviceRate, rawRate) =
            (SessionTiming.Median(rates[0]), SessionTiming.Median(rates[1]), SessionTiming.Median(rates[2]), SessionTiming.Median(rates[3]));
        return
        [
            model.Id, WireNames.Of(model.Precision), $"{native.Tiles} → {sized.Tiles}", Cell(rawRate, "0.00"), Cell(nativeRate, "0.00"), Cell(sizedRate, "0.00"),
            Cell(sizedRate / nativeRate, "0.00") + "x", Cell(serviceRate, "0.00"), $"{nativeRate / rawRate:P0}, {sizedRate / rawRate:P0}", $"{serviceRate / rawRate:P0}",
        ];
    }

}
