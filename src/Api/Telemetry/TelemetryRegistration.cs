using LiteRestore.Contracts;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LiteRestore.Api.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>The standard variable that turns on OTLP export of metrics and traces.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics (the LiteRestore meter, Polly's resilience events, ASP.NET Core, runtime, process) for the Prometheus scrape endpoint, traces of the
    /// LiteRestore activity source and ASP.NET Core, and OTLP export of both when <see cref="OtlpEndpointVariable"/> is set.
    /// </summary>
    public static IServiceCollection AddApiTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var telemetry = services.AddOpenTelemetry()
            // The environment detector comes last so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
            .ConfigureResource(resource => resource.AddService(serviceName).AddEnvironmentVariableDetector())
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(TelemetryNames.Meter, TelemetryNames.Resilience.Meter)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation()
                    .AddPrometheusExporter();
                metrics.ConfigureServices(services => services.AddSingleton<ScrapedStreams>());
                // the view needs this host's IMeterFactory, which only the built service provider has
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) => builder.AddView(services.GetRequiredService<ScrapedStreams>().For));
            })
            .WithTracing(tracing => tracing
                .AddSource(TelemetryNames.ActivitySource)
                .AddAspNetCoreInstrumentation());

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
