using LiteRestore.Benchmarks;

var settings = BenchmarkSettings.Parse(args);
if (!Directory.Exists(settings.ModelsRoot))
{
    Console.Error.WriteLine($"No models folder at {settings.ModelsRoot}. {BenchmarkSettings.Usage}");
    return 2;
}

if (settings.GpuCheck)
{
    var (report, passed) = GpuCheck.Run(settings);
    MarkdownReport.ReplaceSection(settings.Output, "cuda-check", report);
    Console.WriteLine(report);
    return passed ? 0 : 1;
}

var throughput = await new ThroughputBenchmark(settings).RunAsync();
MarkdownReport.ReplaceSection(settings.Output, "cpu-throughput", throughput);
Console.WriteLine(throughput);
return 0;
