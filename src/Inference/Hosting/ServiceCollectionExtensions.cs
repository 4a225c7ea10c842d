using System.Diagnostics.Metrics;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine: options from the <c>Inference</c>, <c>ImageLimits</c> and <c>ImageEncoding</c> sections
    /// (validated at start-up),
    /// <see cref="IRestorationEngine"/>, <see cref="IImageCodec"/>, <see cref="WorkingMemoryBudget"/>, <see cref="TileRunMemory"/> and <see cref="IRestorationTelemetry"/> as singletons,
    /// and a hosted service that loads and warms up the models in the background.
    /// </summary>
    public static IServiceCollection AddRestorationEngine(this IServiceCollection services)
    {
        services.AddValidatedOptions<InferenceOptions, InferenceOptionsAttributeValidator>(InferenceOptions.SectionName);
        services.AddSingleton<IValidateOptions<InferenceOptions>, InferenceOptionsValidator>();
        services.AddValidatedOptions<ImageLimitsOptions, ImageLimitsOptionsAttributeValidator>(ImageLimitsOptions.SectionName);
        services.AddValidatedOptions<ImageEncodingOptions, ImageEncodingOptionsAttributeValidator>(ImageEncodingOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RestorationMetrics(sp.GetService<IMeterFactory>()));
        services.AddSingleton<IRestorationTelemetry>(sp => sp.GetRequiredService<RestorationMetrics>());
        services.AddSingleton<RestorationEngine>();
        services.AddSingleton<IRestorationEngine>(sp => sp.GetRequiredService<RestorationEngine>());
        services.AddSingleton<IImageCodec, ImageCodec>();
        services.AddSingleton<TileRunMemory>();
        services.AddSingleton<WorkingMemoryBudget>();
        services.AddHostedService<ModelLoaderService>();
        services.AddHostedService<IdleMemoryTrimmer>();
        return services;
    }
}
