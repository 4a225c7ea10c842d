using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>An instrument of the LiteRestore meter as the service creates it.</summary>
internal sealed record InstrumentShape(string Name, string? Unit, Type Type);

/// <summary>
/// The real service in memory on the engine's fixture networks, after one restored and one rejected request: what it
/// serves, what its /metrics scrape holds, which instruments its meter created and which options it binds.
/// </summary>
public sealed partial class ServiceFixture : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Labels Prometheus itself puts on every series it scrapes.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    private readonly MeterListener listener = new();
    private readonly List<InstrumentShape> instruments = [];
    private readonly List<Type> boundOptions = [];
    private readonly Factory factory;

    public ServiceFixture()
    {
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Meter)
            {
                lock (instruments)
                {
                    instruments.Add(new(instrument.Name, instrument.Unit, instrument.GetType()));
                }
            }
        };
        listener.Start();
        var configuration = ConfigurationFor(new Dictionary<string, string>());
        configuration["Inference:ExecutionProvider"] = "Cpu";
        factory = new Factory(configuration, boundOptions);
    }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Every series name of the scrape (e.g. <c>literestore_requests_total</c>, <c>..._bucket</c>).</summary>
    internal IReadOnlySet<string> ScrapedSeries { get; private set; } = new HashSet<string>();

    /// <summary>Every label of the scrape with the values it took.</summary>
    internal IReadOnlyDictionary<string, HashSet<string>> ScrapedLabels { get; private set; } = new Dictionary<string, HashSet<string>>();

    internal IReadOnlyList<InstrumentShape> Instruments
    {
        get
        {
            lock (instruments)
            {
                return instruments.DistinctBy(i => i.Name).ToList();
            }
        }
    }

    /// <summary>Options types the service binds from configuration, by their section name.</summary>
    internal IReadOnlyDictionary<string, Type> OptionSections => boundOptions.Distinct()
        .Select(type => (Section: OptionBinding.SectionOf(type), Type: type)).Where(o => o.Section is not null)
        .ToDictionary(o => o.Section!, o => o.Type);

    /// <summary>
    /// The service's configuration for a deployment: its <c>Section__Key</c> settings, on the fixture networks (the image's
    /// bundled models are not in the repository). Variables that the host and OpenTelemetry read are left out: an OTLP
    /// endpoint would make the in-memory service export to a collector that is not there.
    /// </summary>
    internal static Dictionary<string, string?> ConfigurationFor(IReadOnlyDictionary<string, string> environment)
    {
        var settings = environment.Where(e => OptionBinding.IsOptionVariable(e.Key))
            .ToDictionary(e => OptionBinding.KeyOf(e.Key), e => (string?)e.Value);
        settings["Inference:ModelsRoot"] = Repository.PathOf("tests/Inference.Tests/Fixtures/models");
        return settings;
    }

    internal static WebApplicationFactory<Program> Start(Dictionary<string, string?> configuration) => new Factory(configuration, []);

    public async Task InitializeAsync()
    {
        Client = factory.CreateClient();
        var deadline = DateTime.UtcNow + Deadline;
        while ((await Client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The service did not become ready.");
            await Task.Delay(Poll);
        }

        using (var restored = await Client.PostAsync("/v1/denoise", ImageContent(Png())))
        {
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }

        using (var rejected = await Client.PostAsync("/v1/denoise", ImageContent([1, 2, 3, 4])))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, rejected.StatusCode);
        }

        // Refused for want of memory: a failure of the service's own, which counts apart from the client's mistakes.
        var budget = factory.Services.GetRequiredService<WorkingMemoryBudget>();
        using (budget.Reserve(budget.Capacity))
        using (var refused = await Client.PostAsync("/v1/denoise", ImageContent(Png())))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // The exporter caches a scrape briefly: wait for one that holds the mistake and the failure.
        string scrape;
        while (!((scrape = await Client.GetStringAsync("/metrics")).Contains($"reason=\"{ErrorCodes.MediaTypeUnsupported}\"", StringComparison.Ordinal)
            && scrape.Contains($"reason=\"{ErrorCodes.Overloaded}\"", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The scrape never showed the rejected and the refused request.");
            await Task.Delay(Poll);
        }

        var samples = scrape.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        ScrapedSeries = samples.Select(line => SeriesName().Match(line).Value).ToHashSet(StringComparer.Ordinal);
        var labels = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match label in samples.SelectMany(line => LabelPair().Matches(line)))
        {
            if (!labels.TryGetValue(label.Groups[1].Value, out var values))
            {
                labels[label.Groups[1].Value] = values = new(StringComparer.Ordinal);
            }

            values.Add(label.Groups[2].Value);
        }

        ScrapedLabels = labels;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
    }

    public void Dispose() => listener.Dispose();

    internal IEnumerable<string> DerivedSeries() =>
        Instruments.SelectMany(i => PrometheusNames.SeriesOf(i.Name, i.Unit, i.Type));

    internal bool IsKnownSeries(string name) => ScrapedSeries.Contains(name) || DerivedSeries().Contains(name);

    internal bool IsKnownLabel(string label) =>
        ScrapedLabels.ContainsKey(label) || TargetLabels.Contains(label) ||
        typeof(TelemetryNames.Tags).GetFields().Any(f => (string?)f.GetRawConstantValue() == label);

    /// <summary>Values a label can take: seen in the scrape, or, for the failure reason and outcome, any error code.</summary>
    internal bool IsKnownValue(string label, string value) =>
        (ScrapedLabels.TryGetValue(label, out var seen) && seen.Contains(value)) ||
        (label is TelemetryNames.Tags.Reason or TelemetryNames.Tags.Outcome &&
         typeof(ErrorCodes).GetFields().Any(f => (string?)f.GetRawConstantValue() == value));

    /// <summary>What in a PromQL query the service does not export: metric names, labels and label values.</summary>
    internal IEnumerable<string> QueryProblems(string query)
    {
        var references = PromQl.Parse(query);
        if (references.Metrics.Count == 0)
        {
            yield return $"no metric in: {query}";
        }

        foreach (var metric in references.Metrics.Where(m => !IsKnownSeries(m)))
        {
            yield return $"metric {metric} in: {query}";
        }

        foreach (var label in references.Labels.Where(l => !IsKnownLabel(l)))
        {
            yield return $"label {label} in: {query}";
        }

        foreach (var matcher in references.Matchers)
        {
            foreach (var value in matcher.LiteralValues().Where(v => !IsKnownValue(matcher.Label, v)))
            {
                yield return $"value {matcher.Label}=\"{value}\" in: {query}";
            }
        }
    }

    private static ByteArrayContent ImageContent(byte[] bytes) =>
        new(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };

    private static byte[] Png()
    {
        using var image = new Image<Rgb24>(24, 24, new Rgb24(90, 140, 200));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    [GeneratedRegex(@"^[A-Za-z_:][\w:]*")]
    private static partial Regex SeriesName();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    /// <summary>The service with the given configuration; records which options types it binds from configuration.</summary>
    private sealed class Factory(Dictionary<string, string?> configuration, List<Type> boundOptions) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(configuration));
            builder.ConfigureTestServices(services => boundOptions.AddRange(services
                .Select(descriptor => descriptor.ServiceType)
                .Where(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
                .Select(type => type.GetGenericArguments()[0])));
        }
    }
}
