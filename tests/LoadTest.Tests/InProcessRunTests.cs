using System.Text.Json.Nodes;
using System.Xml.Linq;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Cli;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Reports;
using LiteRestore.LoadTest.Tests.Infrastructure;

namespace LiteRestore.LoadTest.Tests;

/// <summary>Short runs of the whole command line against the service in memory, checked against what was really sent.</summary>
public sealed class InProcessRunTests(FixtureServiceFactory service) : IClassFixture<FixtureServiceFactory>, IDisposable
{
    private const string Url = "http://localhost";
    private const double Tolerance = 1e-9;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] ServerTimingMetrics = ["decode", "queue", "infer", "encode", "total"];
    private static readonly string[] CpuOnly = ["cpu"];
    private static readonly int[] ChartedPercentiles = [50, 95, 99];
    private static readonly string[] AscendingStatistics = ["min", "p50", "p90", "p95", "p99", "max"];

    private readonly LoadTestCli cli = new(service.CreateClient);

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task AConcurrencySweepOfBothDenoiseVariantsReportsNumbersConsistentWithTheRequestsMade()
    {
        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "denoise", "--concurrency", "1,2", "--duration", "1", "--warmup", "0.2",
            "--sizes", "40x40,64x48", "--max-error-rate", "0");

        Assert.True(exitCode == ExitCodes.Passed, console);
        var results = ReadResults();
        Assert.True(results["passed"]!.GetValue<bool>());
        Assert.Equal("denoise", results["task"]!.GetValue<string>());
        var levels = results["levels"]!.AsArray();
        Assert.Equal(
            new[] { ("baseline", "c=1"), ("baseline", "c=2"), ("lightweight", "c=1"), ("lightweight", "c=2") },
            levels.Select(level => (level!["variant"]!.GetValue<string>(), Label(level))));

        foreach (var level in levels.Select(level => level!))
        {
            var model = level["variant"]!.GetValue<string>() == "baseline" ? FixtureServiceFactory.DenoiseBaseline : FixtureServiceFactory.DenoiseLightweight;
            AssertConsistent(level, model, smallestMegapixels: 40 * 40 / 1e6, largestMegapixels: 64 * 48 / 1e6);
            Assert.True(level["elapsedSeconds"]!.GetValue<double>() >= 1);
            Assert.InRange(level["probeMs"]!["count"]!.GetValue<int>(), 1, (int)Math.Ceiling(level["elapsedSeconds"]!.GetValue<double>() / LoadTestCommand.DefaultProbeIntervalSeconds) + 1);
            Assert.Equal(0, level["probeFailures"]!.GetValue<int>());
            Assert.Equal("closed", level["level"]!["model"]!.GetValue<string>());
        }

        Assert.Contains("measure", console, StringComparison.Ordinal);
        Assert.Contains("PASSED", console, StringComparison.Ordinal);
        Assert.All(SummaryTable.Headers, header => Assert.Contains(header, console, StringComparison.Ordinal));

        var markdown = await File.ReadAllTextAsync(cli.PathOf(ReportFiles.Markdown));
        Assert.Contains("## Summary", markdown, StringComparison.Ordinal);
        Assert.Contains("| lightweight vs baseline | best |", markdown, StringComparison.Ordinal);
        // The service's CPU default: one session per core up to four, sharing the cores, without batching.
        var sessions = Math.Min(Environment.ProcessorCount, 4);
        var engine = SummaryTable.Engine(new EngineLayout(sessions, Environment.ProcessorCount / sessions, MaxBatchTiles: 1));
        Assert.Contains($"| {FixtureServiceFactory.DenoiseLightweight} | cpu | {engine} |", markdown, StringComparison.Ordinal);
        foreach (var chart in new[] { "latency-throughput-baseline.svg", "latency-throughput-lightweight.svg", LatencyCharts.ComparisonFile })
        {
            Assert.Contains($"]({chart})", markdown, StringComparison.Ordinal);
        }

        var baselineChart = XDocument.Load(cli.PathOf("latency-throughput-baseline.svg"));
        Assert.Equal(Svg + "svg", baselineChart.Root!.Name);
        Assert.Equal(3, baselineChart.Descendants(Svg + "polyline").Count());
        // a percentile is drawn at a level only where that level's requests resolve it
        var resolvedPoints = levels
            .Where(level => level!["variant"]!.GetValue<string>() == "baseline")
            .Sum(level => ChartedPercentiles.Count(p => level!["latencyMs"]!["count"]!.GetValue<int>() >= SummaryTable.SamplesToResolve(p)));
        Assert.Equal(resolvedPoints, baselineChart.Descendants(Svg + "circle").Count());
        Assert.Contains(baselineChart.Descendants(Svg + "text"), text => text.Value == "c=2");
        var comparison = XDocument.Load(cli.PathOf(LatencyCharts.ComparisonFile));
        Assert.Equal(2, comparison.Descendants(Svg + "polyline").Count());
    }

    [Fact]
    public async Task AnOpenModelInpaintingRunSendsExactlyTheScheduledRequestsWithTheirMasks()
    {
        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "inpaint", "--variants", "baseline", "--rate", "20", "--duration", "0.5", "--warmup", "0",
            "--sizes", "48x48");

        Assert.True(exitCode == ExitCodes.Passed, console);
        var level = Assert.Single(ReadResults()["levels"]!.AsArray())!;
        Assert.Equal(("open", 20.0), (level["level"]!["model"]!.GetValue<string>(), level["level"]!["value"]!.GetValue<double>()));
        Assert.Equal(10, level["requests"]!.GetValue<int>());
        AssertConsistent(level, FixtureServiceFactory.InpaintBaseline, smallestMegapixels: 48 * 48 / 1e6, largestMegapixels: 48 * 48 / 1e6);
    }

    [Fact]
    public async Task ARunThroughTheJobApiCollectsEveryResultFromTheModelAskedFor()
    {
        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "denoise", "--variants", "baseline", "--concurrency", "2", "--duration", "1", "--warmup", "0",
            "--sizes", "40x40", "--jobs", "--max-error-rate", "0", "--probe-interval", "0");

        Assert.True(exitCode == ExitCodes.Passed, console);
        var level = Assert.Single(ReadResults()["levels"]!.AsArray())!;
        var successes = level["successes"]!.GetValue<int>();
        Assert.True(successes > 0);
        Assert.Equal(level["requests"]!.GetValue<int>(), successes);
        Assert.Equal(new[] { FixtureServiceFactory.DenoiseBaseline }, level["servedBy"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(successes, level["serverRequestsDelta"]!.GetValue<long>());
        // a job's result carries no Server-Timing: what the synchronous endpoint's answers all carry
        Assert.Null(level["serverTimingMs"]?["total"]);
    }

    [Fact]
    public async Task AViolatedThresholdExitsNonZeroAndSaysWhich()
    {
        var photo = cli.PathOf("photo.png");
        await File.WriteAllBytesAsync(photo, SyntheticImages.Create(new ImageSize(32, 32), withMask: false).Content);

        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "denoise", "--variants", "lightweight", "--concurrency", "1", "--duration", "0.5", "--warmup", "0",
            "--images", photo, "--max-p95", "0.001", "--max-error-rate", "0", "--probe-interval", "0");

        Assert.Equal(ExitCodes.ThresholdViolated, exitCode);
        Assert.Contains("FAILED: 1 threshold violation(s)", console, StringComparison.Ordinal);
        Assert.Contains("max-p95: lightweight at c=1 measured", console, StringComparison.Ordinal);
        var results = ReadResults();
        Assert.False(results["passed"]!.GetValue<bool>());
        Assert.Equal("max-p95", Assert.Single(results["violations"]!.AsArray())!["threshold"]!.GetValue<string>());
        Assert.Equal("photo.png", Assert.Single(results["images"]!.AsArray())!["name"]!.GetValue<string>());
        var level = Assert.Single(results["levels"]!.AsArray())!;
        AssertConsistent(level, FixtureServiceFactory.DenoiseLightweight, 32 * 32 / 1e6, 32 * 32 / 1e6);
        Assert.Null(level["probeMs"]);
        Assert.Contains("FAILED", await File.ReadAllTextAsync(cli.PathOf(ReportFiles.Markdown)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVariantWithoutAReadyModelStopsTheRunBeforeAnyLoadWithAClearMessage()
    {
        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "super-resolve", "--variants", "baseline,lightweight", "--duration", "1");

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("No super-resolve model in the lightweight variant is ready in fp32: none is installed.", console, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.PathOf(ReportFiles.Json)));
    }

    [Fact]
    public async Task APrecisionTheModelIsNotServedInStopsTheRunBeforeAnyLoadAndSaysWhatIsServed()
    {
        var (exitCode, console) = await cli.RunAsync(
            "--url", Url, "--task", "denoise", "--variants", "baseline", "--precisions", "fp32,int8", "--duration", "1");

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        Assert.Contains("No denoise model in the baseline variant is ready in fp32 and int8: fx-identity in fp32 is ready.", console, StringComparison.Ordinal);
    }

    private JsonNode ReadResults() => JsonNode.Parse(File.ReadAllText(cli.PathOf(ReportFiles.Json)))!;

    private static string Label(JsonNode level) => $"c={level["level"]!["value"]!.GetValue<double>()}";

    /// <summary>Counts, rates, percentiles, server timings and the server's own request counter all tell the same story.</summary>
    private static void AssertConsistent(JsonNode level, string modelId, double smallestMegapixels, double largestMegapixels)
    {
        var requests = level["requests"]!.GetValue<int>();
        var successes = level["successes"]!.GetValue<int>();
        var elapsed = level["elapsedSeconds"]!.GetValue<double>();
        var throughput = level["requestsPerSecond"]!.GetValue<double>();
        var megapixels = level["megapixelsPerSecond"]!.GetValue<double>();

        Assert.True(successes > 0);
        Assert.Equal(requests, successes);
        Assert.Empty(level["errors"]!.AsObject());
        Assert.Equal(0, level["errorRate"]!.GetValue<double>());
        Assert.True(throughput > 0);
        Assert.Equal(successes / elapsed, throughput, Tolerance);
        Assert.InRange(megapixels, (throughput * smallestMegapixels) - Tolerance, (throughput * largestMegapixels) + Tolerance);

        var latency = level["latencyMs"]!;
        Assert.Equal(successes, latency["count"]!.GetValue<int>());
        var ordered = AscendingStatistics.Select(name => latency[name]!.GetValue<double>()).ToList();
        Assert.True(ordered[0] > 0);
        Assert.Equal(ordered.Order(), ordered);

        var server = level["serverTimingMs"]!;
        foreach (var metric in ServerTimingMetrics)
        {
            Assert.Equal(successes, server[metric]!["count"]!.GetValue<int>());
        }

        // The server's part of each request is inside the client's.
        Assert.True(server["total"]!["max"]!.GetValue<double>() <= ordered[^1]);

        Assert.Equal(new[] { modelId }, level["servedBy"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(CpuOnly, level["providers"]!.AsArray().Select(provider => provider!.GetValue<string>()));
        foreach (var snapshot in new[] { level["before"]!, level["after"]! })
        {
            Assert.Equal((modelId, "ready", "cpu"), (snapshot["id"]!.GetValue<string>(), snapshot["availability"]!.GetValue<string>(), snapshot["provider"]!.GetValue<string>()));
            Assert.True(snapshot["residentBytes"]!.GetValue<long>() > 0);
            Assert.True(snapshot["engine"]!["sessions"]!.GetValue<int>() >= 1);
        }

        Assert.True(level["after"]!["meanBatchSize"]!.GetValue<double>() >= 1);
        Assert.Equal(successes, level["serverRequestsDelta"]!.GetValue<long>());
    }
}
