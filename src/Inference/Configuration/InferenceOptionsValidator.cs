using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>The rules that span several settings, which attributes on one property cannot say.</summary>
internal sealed class InferenceOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        var failures = new List<string>();
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
