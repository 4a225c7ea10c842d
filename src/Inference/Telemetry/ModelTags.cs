using System.Diagnostics;
using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>The bounded tags that name a model on every instrument.</summary>
internal sealed record ModelTags(string Model, string Task, string Variant)
{
    public const string UnknownModel = "unknown";

    public static ModelTags For(ModelCard card) => new(card.Id, EnumName(card.Task), EnumName(card.Variant));

    public TagList With(string? provider = null, string? outcome = null)
    {
        var tags = new TagList
        {
            { TelemetryNames.Tags.Model, Model },
            { TelemetryNames.Tags.Task, Task },
            { TelemetryNames.Tags.Variant, Variant },
        };
        if (provider is not null)
        {
            tags.Add(TelemetryNames.Tags.Provider, provider);
        }

        if (outcome is not null)
        {
            tags.Add(TelemetryNames.Tags.Outcome, outcome);
        }

        return tags;
    }

    private static string EnumName<T>(T value) => JsonSerializer.Serialize(value).Trim('"');
}
