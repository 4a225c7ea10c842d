using LiteRestore.Benchmarks;

var settings = BenchmarkSettings.Parse(args);
if (!Directory.Exists(settings.ModelsRoot))
{
    Console.Error.WriteLine($"No models folder at {settings.ModelsRoot}. {BenchmarkSettings.Usage}");
    return 2;
}

switch (settings.Mode)
{
    case BenchmarkMode.GpuCheck:
        var (report, passed) = GpuCheck.Run(settings);
        MarkdownReport.ReplaceSection(settings.Output, "cuda-check", report);
        Console.WriteLine(report);
        return passed ? 0 : 1;
    case BenchmarkMode.WholeImage:
        var wholeImages = WholeImageBenchmark.Run(settings);
        MarkdownReport.ReplaceSection(settings.Output, "whole-image", wholeImages);
        Console.WriteLine(wholeImages);
        return 0;
    case BenchmarkMode.TileSizing:
        var tileSizing = await TileSizingBenchmark.RunAsync(settings);
        MarkdownReport.ReplaceSection(settings.Output, "tile-sizing", tileSizing);
        Console.WriteLine(tileSizing);
        return 0;
    case BenchmarkMode.TileCost:
        var tileCost = TileCostBenchmark.Run(settings);
        MarkdownReport.ReplaceSection(settings.Output, "tile-cost", tileCost);
        Console.WriteLine(tileCost);
        return 0;
    case BenchmarkMode.Profile:
        var profile = NodeProfile.Run(settings);
        MarkdownReport.ReplaceSection(settings.Output, "profile", profile);
        Console.WriteLine(profile);
        return 0;
    case BenchmarkMode.TileLatency:
        Console.WriteLine(TileLatency.Measure(settings));
        return 0;
    default:
        var throughput = await new ThroughputBenchmark(settings).RunAsync();
        MarkdownReport.ReplaceSection(settings.Output, "cpu-throughput", throughput);
        Console.WriteLine(throughput);
        return 0;
}
