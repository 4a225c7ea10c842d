using System.Globalization;
using System.Text;
using System.Text.Json;
using LiteRestore.Contracts;
using static LiteRestore.Benchmarks.MarkdownReport;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Where a whole image's run spends its time, node by node: ONNX Runtime's profiler on the raw whole-image session of
/// every selected model and precision, the first run (which allocates the arenas) left out. Kernel times only, so the
/// columns add up to somewhat less than the run: what remains is the executor's own work between the nodes.
/// </summary>
internal static class NodeProfile
{
    private const int Runs = 3;
    private const int TopNodes = 6;
    private const double MicrosecondsPerMillisecond = 1000;

    public static string Run(BenchmarkSettings settings)
    {
        var report = new StringBuilder()
            .Append("## Per-node profile, whole images\n\n").Append(Machine.Describe(settings))
            .Append(CultureInfo.InvariantCulture, $" ONNX Runtime's profiler (`SessionOptions.EnableProfiling`) over {Runs} runs of a whole ")
            .Append(CultureInfo.InvariantCulture, $"{RawWholeImageRun.OutputSide}² output after one uncounted run, one session on every core; ")
            .Append("milliseconds per run of each operator type, and the costliest nodes.\n");
        var folder = Directory.CreateTempSubdirectory("literestore-profile-");
        try
        {
            foreach (var model in settings.SelectedModelsInEachPrecision())
            {
                report.Append('\n').Append(Profile(model, Path.Combine(folder.FullName, $"{model.Id}-{WireNames.Of(model.Precision)}")));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        return report.ToString();
    }

    private static string Profile(Inference.ModelDescriptor model, string prefix)
    {
        string trace;
        using (var run = new RawWholeImageRun(model, prefix))
        {
            for (var i = 0; i <= Runs; i++)
            {
                run.RunOnce();
            }

            trace = run.EndProfiling();
        }

        var (runMs, kernels) = Read(trace);
        var byType = kernels.GroupBy(k => k.OpType)
            .Select(g => (Type: g.Key, Ms: g.Sum(k => k.Ms) / Runs, Nodes: g.Select(k => k.Node).Distinct().Count()))
            .OrderByDescending(t => t.Ms).ToList();
        var total = byType.Sum(t => t.Ms);
        var costliest = kernels.GroupBy(k => k.Node).Select(g => (Node: g.Key, g.First().OpType, Ms: g.Sum(k => k.Ms) / Runs))
            .OrderByDescending(n => n.Ms).Take(TopNodes);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"### {model.Id}, {WireNames.Of(model.Precision)}: {runMs:0} ms a run, {total:0} ms in kernels\n\n")
            .Append(MarkdownReport.Table(["operator", "nodes", "ms / run", "share of kernel time"],
                byType.Select(t => new[] { t.Type, Cell(t.Nodes, "0"), Cell(t.Ms, "0.0"), Cell(100 * t.Ms / total, "0.0") + " %" })))
            .Append('\n')
            .Append(MarkdownReport.Table(["costliest node", "operator", "ms / run"],
                costliest.Select(n => new[] { $"`{n.Node}`", n.OpType, Cell(n.Ms, "0.0") })));
        return text.ToString();
    }

    /// <summary>The mean counted run's duration and every counted kernel event of a profiler trace.</summary>
    private static (double RunMs, List<(string Node, string OpType, double Ms)> Kernels) Read(string trace)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(trace));
        var events = document.RootElement.EnumerateArray().ToList();
        var runs = events.Where(e => Text(e, "name") == "model_run").Select(e => (Start: Number(e, "ts"), Duration: Number(e, "dur")))
            .OrderBy(r => r.Start).ToList();
        if (runs.Count != Runs + 1)
        {
            throw new InvalidOperationException($"{trace}: {runs.Count} runs recorded, {Runs + 1} expected.");
        }

        var counted = runs[0].Start + runs[0].Duration;
        var kernels = events
            .Where(e => Text(e, "cat") == "Node" && Text(e, "name").EndsWith("_kernel_time", StringComparison.Ordinal) && Number(e, "ts") >= counted)
            .Select(e => (Node: Text(e, "name")[..^"_kernel_time".Length], OpType: e.GetProperty("args").GetProperty("op_name").GetString() ?? "?",
                Ms: Number(e, "dur") / MicrosecondsPerMillisecond))
            .ToList();
        return (runs.Skip(1).Average(r => r.Duration) / MicrosecondsPerMillisecond, kernels);
    }

    private static string Text(JsonElement e, string property) => e.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";

    private static double Number(JsonElement e, string property) => e.GetProperty(property).GetDouble();

}
