using System.Globalization;
using System.Text;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using static LiteRestore.Benchmarks.MarkdownReport;

namespace LiteRestore.Benchmarks;

/// <summary>
/// Every model on the CUDA provider beside the CPU provider: the same random batch through both, outputs compared
/// (at most <see cref="Tolerance"/> apart) and the median latency of each recorded. Without a working CUDA provider the
/// report says the CUDA path is unmeasured, and why.
/// </summary>
internal static class GpuCheck
{
    public const double Tolerance = 1e-3;
    private const int Runs = 20;

    public static (string Report, bool Passed) Run(BenchmarkSettings settings)
    {
        var report = new StringBuilder("## CUDA check\n\n").Append(Machine.Describe(settings)).Append(' ').Append(Machine.DescribeThreads(settings)).Append("\n\n");
        var rows = new List<string[]>();
        var failures = new List<string>();
        var passed = true;
        foreach (var model in ModelRepository.Discover(settings.ModelsRoot, [], [ModelPrecision.Fp32]).Where(m => m.Card is not null))
        {
            Console.Error.WriteLine($"checking {model.Id}");
            ModelSessions cuda;
            try
            {
                cuda = new SessionFactory(Options(settings, ExecutionProviderPreference.Cuda)).Create(model);
            }
            catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                failures.Add($"- `{model.Id}`: {e.Message.ReplaceLineEndings(" ")}");
                continue;
            }

            using (cuda)
            using (var cpu = new SessionFactory(Options(settings, ExecutionProviderPreference.Cpu)).Create(model))
            {
                foreach (var batch in new[] { 1, cuda.MaxBatch }.Distinct())
                {
                    var (cpuMs, cudaMs, difference) = Compare(cpu.Primary.Sessions[0], cuda.Primary.Sessions[0], batch);
                    passed &= difference <= Tolerance;
                    rows.Add([model.Id, Cell(batch, "0"), Cell(cpuMs, "0.00"), Cell(cudaMs, "0.00"), Cell(difference, "0.0e+0"), difference <= Tolerance ? "yes" : "**no**"]);
                }
            }
        }

        if (rows.Count == 0)
        {
            report.Append("**The CUDA path is unmeasured**: no model could create a CUDA session on this machine.\n");
            passed = false;
        }
        else
        {
            report.Append(MarkdownReport.Table(["model", "batch", "CPU ms (median)", "CUDA ms (median)", "max abs difference", $"within {Tolerance:0e+0}"], rows));
        }

        if (failures.Count > 0)
        {
            report.Append("\nModels without a CUDA session:\n\n").AppendJoin('\n', failures).Append('\n');
            passed = false;
        }

        return (report.ToString(), passed);
    }

    private static (double CpuMs, double CudaMs, double Difference) Compare(PinnedSession cpu, PinnedSession cuda, int batch)
    {
        SessionTiming.FillRandom(cpu, batch, seed: batch);
        for (var i = 0; i < batch; i++)
        {
            cpu.InputTile(i).CopyTo(cuda.InputTile(i));
        }

        var cpuMs = Median(cpu, batch);
        var cudaMs = Median(cuda, batch);
        var difference = 0.0;
        for (var i = 0; i < batch; i++)
        {
            var a = cpu.OutputTile(i);
            var b = cuda.OutputTile(i);
            for (var j = 0; j < a.Length; j++)
            {
                difference = Math.Max(difference, Math.Abs(a[j] - b[j]));
            }
        }

        return (cpuMs, cudaMs, difference);
    }

    /// <summary>Median wall time of <see cref="Runs"/> runs after one warm-up run.</summary>
    private static double Median(PinnedSession session, int batch)
    {
        SessionTiming.Milliseconds(session, batch);
        return SessionTiming.Median(Enumerable.Range(0, Runs).Select(_ => SessionTiming.Milliseconds(session, batch)));
    }

    private static InferenceOptions Options(BenchmarkSettings settings, ExecutionProviderPreference provider) => new()
    {
        ExecutionProvider = provider,
        SessionsPerModel = 1,
        IntraOpThreads = settings.Threads,
        MaxBatchTiles = settings.MaxBatch,
    };

}
