using System.CommandLine;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Reports;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest.Cli;

/// <summary>
/// The command line: turns the options into <see cref="LoadTestSettings"/> and images, runs the sweep, writes the
/// reports, and answers an <see cref="ExitCodes"/> value.
/// </summary>
internal sealed class LoadTestCommand
{
    private static readonly IReadOnlyList<int> DefaultConcurrency = [1, 2, 4, 8];
    private static readonly IReadOnlyList<ImageSize> DefaultSizes = [new(256, 256)];
    private const double DefaultDurationSeconds = 20;
    private const double DefaultWarmupSeconds = 5;
    private const double DefaultRequestTimeoutSeconds = 60;
    public const double DefaultProbeIntervalSeconds = 0.5;

    /// <summary>The Kubernetes manifest's liveness probe gives up after as long (deploy/k8s/base/deployment.yaml).</summary>
    public const double DefaultProbeTimeoutSeconds = 3;

    private const string DefaultOutputFolder = "load-test-results";

    private readonly Option<Uri> urlOption = new("--url")
    {
        Description = "Base address of the running service, e.g. http://127.0.0.1:5000.",
        Required = true,
        CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) ? uri : OptionParsers.Invalid<Uri>(result, "an absolute URL"),
    };

    private readonly Option<RestorationTask> taskOption = new("--task")
    {
        Description = "The endpoint to load.",
        Required = true,
        HelpName = string.Join("|", WireNames.All<RestorationTask>()),
        CustomParser = result => WireNames.TryParse<RestorationTask>(result.Tokens[0].Value, out var task) ? task : OptionParsers.Invalid<RestorationTask>(result, string.Join(", ", WireNames.All<RestorationTask>())),
    };

    private readonly Option<IReadOnlyList<ModelVariant>> variantsOption = ListOption.Create<ModelVariant>(
        "--variants", "Variants to compare, in order. Default: baseline,lightweight.", "variant,...", WireNames.TryParse);

    private readonly Option<IReadOnlyList<ModelPrecision>> precisionsOption = ListOption.Create<ModelPrecision>(
        "--precisions", "Precisions to run each variant in, compared side by side like the variants. Default: fp32.", "precision,...", WireNames.TryParse);

    private readonly Option<string[]> imagesOption = new("--images")
    {
        Description = "PNG, JPEG or WebP files to send in turn (inpainting adds a centred hole mask). Excludes --sizes.",
        HelpName = "file",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<IReadOnlyList<ImageSize>> sizesOption = ListOption.Create<ImageSize>(
        "--sizes", "Generate deterministic photograph-like images of these sizes and send them in turn. Default: 256x256.", "WxH,...", ImageSize.TryParse);

    private readonly Option<IReadOnlyList<int>> concurrencyOption = ListOption.Create<int>(
        "--concurrency", "Closed-model sweep: clients sending back to back. Default: 1,2,4,8.", "n,...", OptionParsers.TryParsePositive);

    private readonly Option<IReadOnlyList<double>> rateOption = ListOption.Create<double>(
        "--rate", "Open-model sweep instead: constant arrival rates in requests/s; latency counts from each scheduled send time.", "r,...", OptionParsers.TryParsePositive);

    private readonly Option<double> durationOption = OptionParsers.Seconds("--duration", "Measured seconds per variant and level.", DefaultDurationSeconds, allowZero: false);
    private readonly Option<double> warmupOption = OptionParsers.Seconds("--warmup", "Unmeasured seconds at the same load before each measured phase.", DefaultWarmupSeconds, allowZero: true);
    private readonly Option<double> requestTimeoutOption = OptionParsers.Seconds("--request-timeout", "A request not answered within this many seconds counts as a 'timeout' error.", DefaultRequestTimeoutSeconds, allowZero: false);
    private readonly Option<double> probeIntervalOption = OptionParsers.Seconds("--probe-interval", "Seconds between two GET /healthz probes while the load runs, as a liveness probe would ask; 0: none.", DefaultProbeIntervalSeconds, allowZero: true);
    private readonly Option<double> probeTimeoutOption = OptionParsers.Seconds("--probe-timeout", "A /healthz probe not answered within this many seconds counts as failed, as a liveness probe would count it.", DefaultProbeTimeoutSeconds, allowZero: false);

    private readonly Option<ImageFormat?> formatOption = new("--format")
    {
        Description = "Encoding the service answers in. Default: png.",
        HelpName = string.Join("|", WireNames.All<ImageFormat>()),
        CustomParser = result => WireNames.TryParse<ImageFormat>(result.Tokens[0].Value, out var format) ? format : OptionParsers.Invalid<ImageFormat?>(result, string.Join(", ", WireNames.All<ImageFormat>())),
    };

    private readonly Option<bool> jobsOption = new("--jobs")
    {
        Description = "Send every image through the job API (POST /v1/jobs/{task}, poll its status, collect the result, delete it) " +
                      "instead of the synchronous endpoint; a sample's latency then runs from submission to the result's last byte.",
    };

    private readonly Option<string> outOption = new("--out")
    {
        Description = "Folder for report.md, results.json and the SVG charts.",
        HelpName = "folder",
        DefaultValueFactory = _ => DefaultOutputFolder,
    };

    private readonly Option<double?> maxP95Option = OptionParsers.Limit("--max-p95", "Fail when any variant's p95 latency at any level exceeds this many milliseconds.", "ms", upperBound: null);
    private readonly Option<double?> maxErrorRateOption = OptionParsers.Limit("--max-error-rate", "Fail when any variant's share of failed requests at any level exceeds this fraction (0-1).", "fraction", upperBound: 1);
    private readonly Option<double?> minThroughputOption = OptionParsers.Limit("--min-throughput", "Fail when a variant's best level serves fewer successful requests per second.", "req/s", upperBound: null);

    private readonly Func<Uri, HttpClient> createClient;

    /// <param name="createClient">The client for the service at a base address; tests hand in the in-memory server's.</param>
    public LoadTestCommand(Func<Uri, HttpClient> createClient)
    {
        this.createClient = createClient;
        Root = new RootCommand(
            "Drives a running LiteRestore service and compares its model variants: throughput, latency percentiles, " +
            "server-side timings, memory and batching, with thresholds for a staging pipeline to gate on.")
        {
            urlOption, taskOption, variantsOption, precisionsOption, imagesOption, sizesOption, concurrencyOption, rateOption, durationOption, warmupOption, requestTimeoutOption, probeIntervalOption, probeTimeoutOption, formatOption, jobsOption, outOption,
            maxP95Option, maxErrorRateOption, minThroughputOption,
        };
        Root.Validators.Add(OptionParsers.Exclusive(imagesOption, sizesOption));
        Root.Validators.Add(OptionParsers.Exclusive(concurrencyOption, rateOption));
        Root.SetAction(RunAsync);
    }

    public RootCommand Root { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var settings = Settings(parse);
        IReadOnlyList<TestImage> images;
        try
        {
            images = Images(parse, settings.Task == RestorationTask.Inpaint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"Cannot read the images: {e.Message}");
            return ExitCodes.RunFailed;
        }

        using var http = createClient(settings.Url);
        LoadTestReport report;
        try
        {
            var runner = new LoadTestRunner(http, settings, images, output, rewriteProgress: output == Console.Out && !Console.IsOutputRedirected);
            report = await runner.RunAsync(cancellationToken);
        }
        catch (LoadTestException e)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync(e.Message);
            return ExitCodes.RunFailed;
        }

        await ConsoleReport.WriteAsync(report, output);
        var files = await ReportFiles.WriteAsync(report, settings.OutputFolder, cancellationToken);
        await output.WriteLineAsync($"Wrote {string.Join(", ", files)}");
        return report.Passed ? ExitCodes.Passed : ExitCodes.ThresholdViolated;
    }

    private LoadTestSettings Settings(ParseResult parse) => new()
    {
        Url = parse.GetRequiredValue(urlOption),
        Task = parse.GetRequiredValue(taskOption),
        Variants = parse.GetValue(variantsOption) is { Count: > 0 } variants ? variants : [ModelVariant.Baseline, ModelVariant.Lightweight],
        Precisions = parse.GetValue(precisionsOption) is { Count: > 0 } precisions ? precisions : [ModelPrecision.Fp32],
        Levels = parse.GetValue(rateOption) is { Count: > 0 } rates
            ? [.. rates.Select(LoadLevel.Rate)]
            : [.. (parse.GetValue(concurrencyOption) is { Count: > 0 } clients ? clients : DefaultConcurrency).Select(LoadLevel.Concurrency)],
        Duration = TimeSpan.FromSeconds(parse.GetValue(durationOption)),
        Warmup = TimeSpan.FromSeconds(parse.GetValue(warmupOption)),
        RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(requestTimeoutOption)),
        ProbeInterval = TimeSpan.FromSeconds(parse.GetValue(probeIntervalOption)),
        ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(probeTimeoutOption)),
        Format = parse.GetValue(formatOption) ?? ImageFormat.Png,
        Jobs = parse.GetValue(jobsOption),
        OutputFolder = parse.GetRequiredValue(outOption),
        Thresholds = new Thresholds(parse.GetValue(maxP95Option), parse.GetValue(maxErrorRateOption), parse.GetValue(minThroughputOption)),
    };

    private List<TestImage> Images(ParseResult parse, bool withMask) => parse.GetValue(imagesOption) is { Length: > 0 } files
        ? [.. files.Select(file => ImageFiles.Load(file, withMask))]
        : [.. (parse.GetValue(sizesOption) is { Count: > 0 } sizes ? sizes : DefaultSizes).Select(size => SyntheticImages.Create(size, withMask))];
}
