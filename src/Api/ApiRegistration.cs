using LiteRestore.Api.Configuration;
using LiteRestore.Api.Endpoints;
using LiteRestore.Api.Jobs;
using LiteRestore.Api.OpenApi;
using LiteRestore.Api.Problems;
using LiteRestore.Api.RateLimiting;
using LiteRestore.Api.Security;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace LiteRestore.Api;

/// <summary>The HTTP layer's services and pipeline; the engine registers its own.</summary>
internal static class ApiRegistration
{
    private const string SwaggerPath = "/swagger";
    private const string DocumentName = "v1";
    private const string SamplesFolder = "samples";

    public static IServiceCollection AddRestorationApi(this IServiceCollection services)
    {
        AddLimits(services);
        AddProblemAnswers(services);
        services.AddSingleton<UploadReader>();
        services.AddSingleton<RestorationService>();

        services.AddValidatedOptions<JobOptions, JobOptionsAttributeValidator>(JobOptions.SectionName);
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobLauncher>();
        services.AddSingleton<JobMetrics>();

        AddOpenApiDocument(services);
        return services;
    }

    /// <summary>What a request may send and how fast: body size, upload rate, deadline and the per-client rate limit.</summary>
    private static void AddLimits(IServiceCollection services)
    {
        services.AddValidatedOptions<ApiOptions, ApiOptionsAttributeValidator>(ApiOptions.SectionName);
        services.AddValidatedOptions<RateLimitingOptions, RateLimitingOptionsAttributeValidator>(RateLimitingOptions.SectionName);

        // One body limit for every server and for form parsing, so that any oversized upload answers 413.
        // No Server header either: which server answers is of use to attackers only.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
        {
            kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(api.Value.MinUploadBytesPerSecond, api.Value.UploadRateGracePeriod);
            kestrel.AddServerHeader = false;
        });
        services.AddOptions<FormOptions>().Configure<IOptions<ApiOptions>>(
            (form, api) => form.MultipartBodyLengthLimit = api.Value.MaxRequestBodyBytes);

        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ApiOptions>>((timeouts, api) =>
            timeouts.AddPolicy(RestorationDeadline.PolicyName, RestorationDeadline.Policy(api.Value.RequestTimeout)));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = ApiProblems.StatusOf(ErrorCodes.RateLimited);
            limiter.AddPolicy<string, ClientRateLimitPolicy>(ClientRateLimitPolicy.Name);
        });
    }

    /// <summary>Every failure answered as a problem with a stable code (see <see cref="ProblemExceptionHandler"/>).</summary>
    private static void AddProblemAnswers(IServiceCollection services)
    {
        // Binding failures (e.g. scale=abc) throw, so that the exception handler answers them with a coded problem.
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            if (context.ProblemDetails.Status is >= StatusCodes.Status400BadRequest and < StatusCodes.Status500InternalServerError)
            {
                context.ProblemDetails.Extensions.TryAdd(ProblemFields.Code, ApiProblems.CodeForStatus(context.ProblemDetails.Status.Value));
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
    }

    private static void AddOpenApiDocument(IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "LiteRestore",
                Version = DocumentName,
                Description =
                    "Restores photographs with convolutional networks: denoise, 4x super-resolution and inpainting, each in a " +
                    "full-capacity baseline and a lightweight variant. Errors are RFC 9457 problem details with a stable `code`.",
            });
            // relative to wherever the document was fetched from, so that Swagger UI's requests go to this very service
            swagger.AddServer(new OpenApiServer { Url = "/", Description = "This service" });
            swagger.DocumentFilter<TagDescriptionsDocumentFilter>();
            swagger.OperationFilter<ImageUploadOperationFilter>();
            swagger.OperationFilter<ProblemResponsesOperationFilter>();
            swagger.SchemaFilter<ProblemSchemaFilter>();
        });
    }

    public static WebApplication UseRestorationApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        var api = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var swagger = api.SwaggerUi;
        if (api.Playground)
        {
            UsePlayground(app);
        }

        if (swagger)
        {
            app.UseSwagger();
            app.UseSwaggerUI(ui =>
            {
                ui.SwaggerEndpoint($"{SwaggerPath}/{DocumentName}/swagger.json", $"LiteRestore {DocumentName}");
                ui.EnableTryItOutByDefault();
                ui.DisplayRequestDuration();
                ui.EnableDeepLinking();
            });
        }

        app.MapRestorationEndpoints();
        app.MapJobEndpoints();
        app.Services.GetRequiredService<JobMetrics>();
        app.MapModelEndpoints();
        app.MapHealthEndpoints(rootRedirect: swagger && !api.Playground ? SwaggerPath : null);
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    /// <summary>The playground's page and scripts from <c>wwwroot</c>, and the sample photographs copied next to the app.</summary>
    private static void UsePlayground(WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        var samples = Path.Combine(AppContext.BaseDirectory, SamplesFolder);
        if (Directory.Exists(samples))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(samples), RequestPath = "/" + SamplesFolder });
        }
    }
}
