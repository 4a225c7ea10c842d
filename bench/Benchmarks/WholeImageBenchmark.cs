using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using static LiteRestore.Benchmarks.MarkdownReport;

namespace LiteRestore.Benchmarks;

/// <summary>
/// The limit the service works against: one raw session (every core, full graph optimisation) running a whole image in
/// one <c>Run</c>, for every selected model in every precision it is served in. The models take turns in short slices,
/// so a shared machine's drift falls on all of them alike; ratios are taken between numbers of the same run.
/// </summary>
internal static class WholeImageBenchmark
{
    private const int OutputSide = RawWholeImageRun.OutputSide;

    private const int Rounds = 10;

    public static string Run(BenchmarkSettings settings)
    {
        var models = settings.SelectedModelsInEachPrecision().ToList();
        var runs = models.Select(model => new RawWholeImageRun(model)).ToList();
        try
        {
            var slice = settings.Duration / Rounds;
            runs.ForEach(run => run.Measure(slice)); // uncounted: the first runs allocate ONNX Runtime's arenas
            var imagesPerSecond = runs.ToDictionary(run => run, _ => new List<double>());
            for (var round = 0; round < Rounds; round++)
            {
                // Alternate the order, so that no model always runs in another's wake.
                foreach (var run in round % 2 == 0 ? runs : Enumerable.Reverse(runs))
                {
                    imagesPerSecond[run].Add(run.Measure(slice));
                }
            }

            return Report(settings, runs.ToDictionary(run => run.Model.Key, run => (run, SessionTiming.Median(imagesPerSecond[run]))));
        }
        finally
        {
            runs.ForEach(run => run.Dispose());
        }
    }

    private static string Report(BenchmarkSettings settings, Dictionary<ModelKey, (RawWholeImageRun Run, double ImagesPerSecond)> measured)
    {
        var report = new StringBuilder()
            .Append("## Whole images, raw sessions\n\n").Append(Machine.Describe(settings))
            .Append(CultureInfo.InvariantCulture, $" One session on every core runs a whole {OutputSide}² output ({OutputSide / 4}² input for super-resolution) per `Run`; ")
            .Append(CultureInfo.InvariantCulture, $"the models take turns in {Rounds} slices of {(settings.Duration / Rounds).TotalSeconds:0.#} s; the median slice is shown.\n\n");
        var rows = measured.Values.Select(m =>
        {
            var fp32 = measured.GetValueOrDefault(m.Run.Model.Key with { Precision = ModelPrecision.Fp32 });
            var baseline = measured.Values.FirstOrDefault(o => o.Run.Model.Card!.Task == m.Run.Model.Card!.Task
                && o.Run.Model.Card.Variant == ModelVariant.Baseline && o.Run.Model.Precision == m.Run.Model.Precision);
            return new[]
            {
                m.Run.Model.Id, WireNames.Of(m.Run.Model.Precision), Cell(m.ImagesPerSecond, "0.00"), Cell(1000 / m.ImagesPerSecond, "0"),
                Cell(m.ImagesPerSecond * OutputSide * OutputSide / 1e6, "0.00"),
                m.Run.Model.Precision == ModelPrecision.Fp32 || fp32.Run is null ? "" : Cell(m.ImagesPerSecond / fp32.ImagesPerSecond, "0.00") + "x",
                baseline.Run is null || baseline.Run == m.Run ? "" : Cell(m.ImagesPerSecond / baseline.ImagesPerSecond, "0.00") + "x",
            };
        });
        return report.Append(MarkdownReport.Table(
            ["model", "precision", "images/s", "ms/image", "output Mpx/s", "against its fp32", "against the baseline in this precision"], rows)).ToString();
    }

}
