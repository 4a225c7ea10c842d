using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>One way the service is run: the image flavour and the environment the container starts with.</summary>
internal sealed record ServiceDeployment(string Name, string Flavour, IReadOnlyDictionary<string, string> Environment);

/// <summary>What docker-compose.yml, deploy/ and docs/deploy.md say about the service.</summary>
internal static partial class DeploymentFiles
{
    public const string Compose = "docker-compose.yml";
    public const string Dashboard = "deploy/grafana/dashboards/literestore.json";
    public const string Datasources = "deploy/grafana/provisioning/datasources/prometheus.yaml";
    public const string Collector = "deploy/otel-collector/config.yaml";
    public const string Prometheus = "deploy/prometheus/prometheus.yml";
    public const string HealthCheckScript = "deploy/docker/healthcheck";
    public const string Guide = "docs/deploy.md";
    public const string KubernetesBase = "deploy/k8s/base";
    public const string KubernetesOverlays = "deploy/k8s/overlays";

    /// <summary>The image name both compose and the manifests run, tagged with the Dockerfile's flavour.</summary>
    public const string ServiceImage = "literestore";

    private const string ConfigMapName = "literestore-config";

    public static YamlNode ComposeFile => Repository.Yaml(Compose).Single();

    /// <summary>The compose services that run the LiteRestore image.</summary>
    public static IEnumerable<(string Name, YamlNode Service)> ComposeServices() =>
        ComposeFile.At("services").Entries().Where(s => ImageName(s.Value.At("image").Text()) == ServiceImage);

    /// <summary>Every compose service and Kubernetes overlay that runs the service, with the environment it gets.</summary>
    public static IReadOnlyList<ServiceDeployment> All()
    {
        var deployments = new List<ServiceDeployment>();
        foreach (var (name, service) in ComposeServices())
        {
            var flavour = ImageTag(service.At("image").Text());
            var environment = service.At("environment").Entries().ToDictionary(e => e.Key, e => e.Value.Text());
            deployments.Add(new($"compose {name}", flavour, Overlay(Dockerfile.Repository.EnvironmentOf(flavour), environment)));
        }

        var baseLiterals = ConfigMapLiterals(KubernetesBase);
        foreach (var overlay in KubernetesOverlayNames())
        {
            var folder = $"{KubernetesOverlays}/{overlay}";
            var image = Kustomization(folder).At("images").Items().Single(i => i.At("name").Text() == ServiceImage);
            var flavour = image.At("newTag").Text();
            var environment = Overlay(Overlay(Dockerfile.Repository.EnvironmentOf(flavour), baseLiterals), ConfigMapLiterals(folder));
            deployments.Add(new($"kubernetes {overlay}", flavour, environment));
        }

        return deployments;
    }

    public static IEnumerable<string> KubernetesOverlayNames() =>
        Directory.EnumerateDirectories(Repository.PathOf(KubernetesOverlays)).Select(Path.GetFileName).Order()!;

    /// <summary>Every manifest of the base and the overlays: the resources and the patches.</summary>
    public static IEnumerable<(string File, YamlNode Document)> KubernetesManifests() =>
        new[] { KubernetesBase }.Concat(KubernetesOverlayNames().Select(o => $"{KubernetesOverlays}/{o}"))
            .SelectMany(folder => Directory.EnumerateFiles(Repository.PathOf(folder), "*.yaml")
                .Where(file => Path.GetFileName(file) != "kustomization.yaml")
                .Select(file => Path.GetRelativePath(Repository.Root, file)))
            .SelectMany(file => Repository.Yaml(file).Select(document => (file, document)));

    /// <summary>Every PromQL expression of the dashboard: panel queries and variable queries.</summary>
    public static IEnumerable<string> DashboardQueries() =>
        DashboardObjects().SelectMany(o => new[] { o["expr"], o["query"] is JsonObject query ? query["query"] : null })
            .OfType<JsonValue>().Select(value => value.GetValue<string>());

    /// <summary>Labels the dashboard's legends print (<c>{{model}}</c>).</summary>
    public static IEnumerable<string> DashboardLegendLabels() =>
        DashboardObjects().Select(o => o["legendFormat"]).OfType<JsonValue>()
            .SelectMany(legend => LegendLabel().Matches(legend.GetValue<string>()).Select(m => m.Groups[1].Value));

    public static IEnumerable<string> DashboardDatasourceUids() =>
        DashboardObjects().Select(o => o["datasource"]).OfType<JsonObject>().Select(datasource => datasource["uid"]!.GetValue<string>()).Distinct();

    /// <summary>Metric names and <c>Section__Key=value</c> settings the deployment guide mentions.</summary>
    public static IEnumerable<string> GuideMetricNames() => GuideMetric().Matches(Repository.Read(Guide)).Select(m => m.Value).Distinct();

    public static IEnumerable<(string Name, string? Value)> GuideSettings() =>
        GuideSetting().Matches(Repository.Read(Guide))
            .Select(m => (m.Groups["name"].Value, m.Groups["value"].Success ? m.Groups["value"].Value : null)).Distinct();

    /// <summary>Local URLs the guide links to, as port and path.</summary>
    public static IEnumerable<(int Port, string Path)> GuideUrls() =>
        GuideUrl().Matches(Repository.Read(Guide)).Select(m => (int.Parse(m.Groups[1].Value), m.Groups[2].Value)).Distinct();

    public static string HealthCheckPath() => HealthCheckRequest().Match(Repository.Read(HealthCheckScript)).Groups[1].Value;

    /// <summary>host and port of a URL or a host:port pair.</summary>
    public static (string Host, int Port) HostAndPort(string address)
    {
        var match = Address().Match(address);
        Assert.True(match.Success, $"No host:port in '{address}'.");
        return (match.Groups[1].Value, int.Parse(match.Groups[2].Value));
    }

    private static YamlNode Kustomization(string folder) => Repository.Yaml($"{folder}/kustomization.yaml").Single();

    private static Dictionary<string, string> ConfigMapLiterals(string folder) =>
        Kustomization(folder).At("configMapGenerator").Items().Where(g => g.At("name").Text() == ConfigMapName)
            .SelectMany(g => g.At("literals").Items()).Select(l => l.Text().Split('=', 2)).ToDictionary(l => l[0], l => l[1]);

    private static Dictionary<string, string> Overlay(IReadOnlyDictionary<string, string> under, IReadOnlyDictionary<string, string> over)
    {
        var merged = new Dictionary<string, string>(under);
        foreach (var (key, value) in over)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static string ImageName(string image) => image.Split(':')[0];

    private static string ImageTag(string image) => image.Split(':')[1];

    /// <summary>Every object of the dashboard, however deeply its panels nest.</summary>
    private static IEnumerable<JsonObject> DashboardObjects() => Descendants(JsonNode.Parse(Repository.Read(Dashboard))!).OfType<JsonObject>();

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        _ => [node],
    };

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex LegendLabel();

    [GeneratedRegex(@"\bliterestore_\w+")]
    private static partial Regex GuideMetric();

    [GeneratedRegex(@"\b(?<name>[A-Z][A-Za-z]+(?:__[A-Za-z]+)+)(?:=(?<value>[^\s`|,;]+))?")]
    private static partial Regex GuideSetting();

    [GeneratedRegex(@"http://localhost:(\d+)(/[\w/.-]*)")]
    private static partial Regex GuideUrl();

    [GeneratedRegex(@"GET (/\S*) HTTP")]
    private static partial Regex HealthCheckRequest();

    [GeneratedRegex(@"^(?:\w+://)?([\w.-]+):(\d+)")]
    private static partial Regex Address();
}
