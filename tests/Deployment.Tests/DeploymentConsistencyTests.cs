using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LiteRestore.Contracts;
using LiteRestore.Deployment.Tests.Infrastructure;
using LiteRestore.Inference;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LiteRestore.Deployment.Tests;

/// <summary>
/// Everything the deployment files (Dockerfile, docker-compose.yml, deploy/, docs/deploy.md) mention about the service is
/// something the service really has: its port, its paths, its configuration options and its metric names.
/// </summary>
public sealed partial class DeploymentConsistencyTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    /// <summary>
    /// Variables that are not options but that the service's host or libraries read. Options (<c>Section__Key</c>) are
    /// checked against the options classes instead.
    /// </summary>
    private static readonly HashSet<string> HostVariables =
    [
        "ASPNETCORE_HTTP_PORTS", // Kestrel's listening ports
        "ASPNETCORE_FORWARDEDHEADERS_ENABLED", // the web host adds the forwarded-headers middleware
        "OTEL_SERVICE_NAME", // the OpenTelemetry resource (AddEnvironmentVariableDetector)
        "OTEL_METRIC_EXPORT_INTERVAL", // the OpenTelemetry periodic metric reader
        "DOTNET_ROOT", // the .NET host, where the runtime was copied into the CUDA image
        "APP_UID", // the .NET images' non-root user, which the Dockerfile's USER names
        DrainBudgetVariable, // the host's shutdown timeout (HostOptions.ShutdownTimeout)
    ];

    /// <summary>How long the host waits for admitted work on SIGTERM; .NET's default is 30 s.</summary>
    private const string DrainBudgetVariable = "DOTNET_shutdownTimeoutSeconds";

    /// <summary>Files at the repository root that every restore and build reads.</summary>
    private static readonly string[] BuildFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props"];

    public static TheoryData<string> Deployments => new(DeploymentFiles.All().Select(d => d.Name));

    [Fact]
    public void TheMeterCreatesExactlyTheInstrumentsOfTelemetryNamesAndTheScrapeNamesThemByThePrometheusRules()
    {
        var declared = typeof(TelemetryNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name is not (nameof(TelemetryNames.Meter) or nameof(TelemetryNames.ActivitySource)))
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(declared.Order(), service.Instruments.Select(i => i.Name).Order());
        var missing = service.DerivedSeries().Except(service.ScrapedSeries).ToList();
        Assert.True(missing.Count == 0, $"Not in the service's /metrics: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryMetricAndLabelTheDashboardAndTheGuideUseIsOneTheServiceExports()
    {
        var queries = DeploymentFiles.DashboardQueries().ToList();
        Assert.NotEmpty(queries);

        var problems = queries.SelectMany(service.QueryProblems)
            .Concat(DeploymentFiles.DashboardLegendLabels().Where(label => !service.IsKnownLabel(label)).Select(label => $"legend label '{label}'"))
            .Concat(DeploymentFiles.GuideMetricNames().Where(name => !service.IsKnownSeries(name)).Select(name => $"{DeploymentFiles.Guide}: {name}"))
            .Distinct().ToList();
        Assert.True(problems.Count == 0, $"Unknown to the service:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void TheDashboardQueriesTheProvisionedDatasource()
    {
        var provisioned = Repository.Yaml(DeploymentFiles.Datasources).Single().At("datasources").Items().Select(d => d.At("uid").Text());

        Assert.Equal(provisioned, DeploymentFiles.DashboardDatasourceUids());
    }

    [Fact]
    public void EveryEnvironmentVariableTheDeploymentFilesSetBindsToAnOptionOrIsReadByTheHost()
    {
        IEnumerable<(string Where, string Name, string? Value)> variables = DeploymentFiles.All()
            .SelectMany(d => d.Environment.Select(e => (d.Name, e.Key, (string?)e.Value)))
            .Concat(Dockerfile.Repository.AllEnvironmentNames().Select(e => ($"Dockerfile stage {e.Stage}", e.Name, (string?)null)))
            .Concat(DeploymentFiles.GuideSettings().Select(s => (DeploymentFiles.Guide, s.Name, s.Value)));

        var problems = variables.Select(v => (v.Where, Problem: VariableProblem(v.Name, v.Value))).Where(v => v.Problem is not null)
            .Select(v => $"{v.Where}: {v.Problem}").Distinct().ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task EachDeploymentConfigurationPassesTheServiceStartUpValidation(string deployment)
    {
        var environment = DeploymentFiles.All().Single(d => d.Name == deployment).Environment;

        await using var factory = ServiceFixture.Start(ServiceFixture.ConfigurationFor(environment));
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task EveryPathTheDeploymentProbesScrapesOrLinksToIsServed()
    {
        var servicePorts = DeploymentFiles.ComposeServices().SelectMany(s => s.Service.At("ports").Items())
            .Select(p => int.Parse(p.Text().Split(':')[0])).ToHashSet();
        var paths = ProbePaths()
            .Append(("health check script", DeploymentFiles.HealthCheckPath()))
            .Concat(DeploymentFiles.GuideUrls().Where(u => servicePorts.Contains(u.Port)).Select(u => (DeploymentFiles.Guide, u.Path)))
            .Distinct().ToList();
        Assert.Contains(paths, p => p.Item2 == "/healthz");
        Assert.Contains(paths, p => p.Item2 == "/readyz");
        Assert.Contains(paths, p => p.Item2 == "/metrics");

        foreach (var (where, path) in paths)
        {
            using var response = await service.Client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{where}: GET {path} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public void EveryPortThatReachesTheServiceIsTheOneTheImageListensOn()
    {
        var port = int.Parse(Dockerfile.Repository.EnvironmentOf(Dockerfile.Repository.GlobalArgument("FLAVOR"))["ASPNETCORE_HTTP_PORTS"]);

        Assert.Equal([port], Dockerfile.Repository.ExposedPorts());
        foreach (var deployment in DeploymentFiles.All())
        {
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), deployment.Environment["ASPNETCORE_HTTP_PORTS"]);
        }

        foreach (var (name, service) in DeploymentFiles.ComposeServices())
        {
            Assert.All(service.At("ports").Items(), p => Assert.True(int.Parse(p.Text().Split(':')[^1]) == port, $"compose {name}: {p}"));
        }

        var manifests = DeploymentFiles.KubernetesManifests().ToList();
        var containerPorts = manifests.SelectMany(m => m.Document.Mappings()).Where(m => m.At("containerPort") is not null)
            .Select(m => (Name: m.At("name")?.Text(), Number: int.Parse(m.At("containerPort").Text()))).ToList();
        Assert.NotEmpty(containerPorts);
        Assert.All(containerPorts, p => Assert.Equal(port, p.Number));
        var portNames = containerPorts.Select(p => p.Name).OfType<string>().ToHashSet();

        var references = manifests.SelectMany(m => m.Document.Mappings())
            .SelectMany(m => new[] { m.At("httpGet", "port"), m.At("targetPort") }).OfType<YamlDotNet.RepresentationModel.YamlNode>()
            .Select(node => node.Text()).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.True(
            int.TryParse(reference, out var number) ? number == port : portNames.Contains(reference), $"port {reference} is not the service's"));
        Assert.All(ScrapeAnnotations("prometheus.io/port"), annotated => Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), annotated));
    }

    /// <summary>
    /// The image's build stage restores from the project files alone, before it copies the sources, so that a source
    /// change keeps the package layer. A project the API references, or a build file, missing from that copy breaks
    /// the image build; deploy/check-image.sh cannot see this, as it publishes from the whole context.
    /// </summary>
    [Fact]
    public void TheImageRestoresWithEveryProjectAndBuildFileTheAPINeedsInPlace()
    {
        var stage = Dockerfile.Repository.StageInstructions("build").ToList();
        var restore = stage.FindIndex(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "the build stage has no 'RUN dotnet restore'");
        var copied = stage.Take(restore).Where(i => i.Instruction == "COPY")
            .Select(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(words => words[..^1].Select(source => (Source: source, Destination: words[^1]))).ToList();

        Assert.All(copied, copy => Assert.True(
            Path.GetDirectoryName(copy.Source) == Path.TrimEndingDirectorySeparator(copy.Destination).TrimStart('.').TrimStart('/'),
            $"COPY {copy.Source} {copy.Destination}: a project or build file must keep its place in the tree"));
        var needed = ProjectClosure("src/Api/Api.csproj")
            .Concat(BuildFiles.Where(file => File.Exists(Repository.PathOf(file))));
        Assert.Empty(needed.Except(copied.Select(copy => copy.Source)));
    }

    /// <summary>
    /// On SIGTERM the service answers what it admitted for up to its drain budget (deploy/check-image.sh shows it). An
    /// orchestrator that kills it sooner loses accepted requests.
    /// </summary>
    [Fact]
    public void EveryOrchestratorWaitsLongerThanTheServiceDrains()
    {
        var deployments = DeploymentFiles.All().ToDictionary(d => d.Name);
        foreach (var (name, service) in DeploymentFiles.ComposeServices())
        {
            var grace = ComposeDuration(service.At("stop_grace_period")?.Text() ?? "10s");
            Assert.True(DrainBudget(deployments[$"compose {name}"]) < grace, $"compose {name}: stop_grace_period {grace} is not longer than the drain");
        }

        var pod = DeploymentFiles.KubernetesManifests().SelectMany(m => m.Document.Mappings())
            .Single(m => m.At("terminationGracePeriodSeconds") is not null);
        var podGrace = TimeSpan.FromSeconds(int.Parse(pod.At("terminationGracePeriodSeconds").Text()));
        var preStop = pod.Mappings().Select(m => m.At("preStop", "exec", "command").Items().LastOrDefault()).OfType<YamlDotNet.RepresentationModel.YamlNode>()
            .Select(seconds => TimeSpan.FromSeconds(int.Parse(seconds.Text()))).Single();
        Assert.All(deployments.Values.Where(d => d.Name.StartsWith("kubernetes", StringComparison.Ordinal)), d => Assert.True(
            preStop + DrainBudget(d) < podGrace, $"{d.Name}: the preStop pause {preStop} and the drain {DrainBudget(d)} do not fit in the grace period {podGrace}"));
    }

    [Fact]
    public void EachComposeServiceRunsTheImageFlavourItBuilds()
    {
        Assert.All(DeploymentFiles.ComposeServices(), s => Assert.Equal(
            s.Service.At("build", "args", "FLAVOR")?.Text() ?? Dockerfile.Repository.GlobalArgument("FLAVOR"), s.Service.At("image").Text().Split(':')[1]));
    }

    /// <summary>
    /// docs/deploy.md sizes a fleet from a load test of one replica with the same settings, so a load test of compose's
    /// CUDA service must size the Kubernetes GPU overlay. (The CPU overlay differs on purpose: it pins the per-core
    /// layout to the pod's CPU request, where compose follows the cores of the machine.)
    /// </summary>
    [Fact]
    public void ComposeAndKubernetesGiveTheCUDAImageTheSameInferenceOptions()
    {
        var bound = DeploymentFiles.All().Where(d => d.Flavour == "cuda")
            .Select(d => (d.Name, Options: JsonSerializer.Serialize(BoundInferenceOptions(d.Environment)))).ToList();

        Assert.Equal(2, bound.Count);
        Assert.True(bound[0].Options == bound[1].Options, $"{bound[0].Name}: {bound[0].Options}\n{bound[1].Name}: {bound[1].Options}");
    }

    [Fact]
    public void TheComposeServicesReachEachOtherOnThePortsTheyListenOn()
    {
        var compose = DeploymentFiles.ComposeFile;
        var services = compose.At("services").Entries().Select(s => s.Key).ToHashSet();
        var collector = Repository.Yaml(DeploymentFiles.Collector).Single();

        foreach (var (name, service) in DeploymentFiles.ComposeServices())
        {
            var otlp = DeploymentFiles.HostAndPort(service.At("environment", "OTEL_EXPORTER_OTLP_ENDPOINT").Text());
            Assert.Contains(otlp.Host, services);
            // The .NET OTLP exporter speaks gRPC unless OTEL_EXPORTER_OTLP_PROTOCOL says otherwise.
            Assert.Equal(DeploymentFiles.HostAndPort(collector.At("receivers", "otlp", "protocols", "grpc", "endpoint").Text()).Port, otlp.Port);
        }

        var exporter = DeploymentFiles.HostAndPort(collector.At("exporters", "prometheus", "endpoint").Text());
        var targets = Repository.Yaml(DeploymentFiles.Prometheus).Single().At("scrape_configs").Items()
            .SelectMany(c => c.At("static_configs").Items()).SelectMany(c => c.At("targets").Items()).Select(t => DeploymentFiles.HostAndPort(t.Text()));
        Assert.All(targets, target =>
        {
            Assert.Contains(target.Host, services);
            Assert.Equal(exporter.Port, target.Port);
        });

        var datasource = DeploymentFiles.HostAndPort(Repository.Yaml(DeploymentFiles.Datasources).Single().At("datasources").Items().Single().At("url").Text());
        Assert.Contains(datasource.Host, services);
        Assert.Contains(compose.At("services", datasource.Host, "ports").Items(), p => int.Parse(p.Text().Split(':')[^1]) == datasource.Port);
    }

    private static TimeSpan DrainBudget(ServiceDeployment deployment) =>
        deployment.Environment.TryGetValue(DrainBudgetVariable, out var seconds) ? TimeSpan.FromSeconds(int.Parse(seconds)) : new HostOptions().ShutdownTimeout;

    /// <summary>A compose duration such as <c>3m</c>, <c>90s</c>, <c>1m30s</c> or <c>500ms</c>.</summary>
    private static TimeSpan ComposeDuration(string text) =>
        ComposeDurationPart().Matches(text).Aggregate(TimeSpan.Zero, (total, part) => total + (part.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(int.Parse(part.Groups[1].Value)),
            "m" => TimeSpan.FromMinutes(int.Parse(part.Groups[1].Value)),
            "ms" => TimeSpan.FromMilliseconds(int.Parse(part.Groups[1].Value)),
            _ => TimeSpan.FromSeconds(int.Parse(part.Groups[1].Value)),
        }));

    /// <summary>A project and every project it references, directly or not, as paths from the repository root.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (found.Add(next))
            {
                var folder = Path.GetDirectoryName(Repository.PathOf(next))!;
                foreach (var reference in XDocument.Load(Repository.PathOf(next)).Descendants("ProjectReference"))
                {
                    var path = Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                    pending.Push(Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'));
                }
            }
        }

        return found;
    }

    private static InferenceOptions BoundInferenceOptions(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(ServiceFixture.ConfigurationFor(environment)).Build()
            .GetSection(InferenceOptions.SectionName).Get<InferenceOptions>()!;

    private string? VariableProblem(string name, string? value) =>
        OptionBinding.IsOptionVariable(name) ? OptionBinding.Problem(service.OptionSections, name, value)
        : HostVariables.Contains(name) || ServiceConstants().Contains(name) ? null
        : $"{name}: neither an option (Section__Key) nor a variable the service or its host reads";

    /// <summary>String constants of the service's own assemblies: a variable named by one is one the service reads.</summary>
    private static HashSet<string> ServiceConstants() =>
        new[] { typeof(Program).Assembly, typeof(InferenceOptions).Assembly, typeof(TelemetryNames).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string Where, string Path)> ProbePaths() =>
        DeploymentFiles.KubernetesManifests()
            .SelectMany(m => m.Document.Mappings().Select(node => node.At("httpGet", "path")).OfType<YamlDotNet.RepresentationModel.YamlNode>()
                .Select(path => (m.File, path.Text())))
            .Concat(ScrapeAnnotations("prometheus.io/path").Select(path => ("prometheus.io/path", path)));

    private static IEnumerable<string> ScrapeAnnotations(string annotation) =>
        DeploymentFiles.KubernetesManifests().SelectMany(m => m.Document.Mappings())
            .Select(node => node.At(annotation)).OfType<YamlDotNet.RepresentationModel.YamlNode>().Select(node => node.Text());

    [GeneratedRegex(@"(\d+)(h|ms|m|s)")]
    private static partial Regex ComposeDurationPart();
}
