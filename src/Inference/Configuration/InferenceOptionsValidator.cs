using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>The rules that span several settings or a nested object, which DataAnnotations on one property cannot say.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options.CircuitBreaker, new ValidationContext(options.CircuitBreaker), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{InferenceOptions.SectionName}:{nameof(InferenceOptions.CircuitBreaker)}: {r.ErrorMessage}"));
        }

        if (options.MaxBatchTiles is { } maxBatchTiles && maxBatchTiles > options.QueueCapacityTiles)
        {
            failures.Add($"{InferenceOptions.SectionName}:{nameof(InferenceOptions.MaxBatchTiles)} ({maxBatchTiles}) must not exceed {nameof(InferenceOptions.QueueCapacityTiles)} ({options.QueueCapacityTiles}).");
        }

        if (options.Models.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{InferenceOptions.SectionName}:{nameof(InferenceOptions.Models)} must not contain empty ids.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
