using System.Diagnostics;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>The bounded tags that name a model on every instrument.</summary>
internal sealed record ModelTags(string Model, string Task, string Variant, string Precision)
{
    public const string UnknownModel = "unknown";

    public static ModelTags For(ModelCard card, ModelPrecision precision) =>
        new(card.Id, WireNames.Of(card.Task), WireNames.Of(card.Variant), WireNames.Of(precision));

    /// <summary>A model folder whose card could not be read: only its folder's name and the precision are known.</summary>
    public static ModelTags Unknown(ModelKey model) =>
        new(model.Id, UnknownModel, UnknownModel, WireNames.Of(model.Precision));

    /// <summary>A request for a model the engine does not serve: its name came from the client, so it is no tag.</summary>
    public static ModelTags Unserved { get; } = new(UnknownModel, UnknownModel, UnknownModel, UnknownModel);

    public TagList With(string? provider = null, string? outcome = null)
    {
        var tags = new TagList
        {
            { TelemetryNames.Tags.Model, Model },
            { TelemetryNames.Tags.Task, Task },
            { TelemetryNames.Tags.Variant, Variant },
            { TelemetryNames.Tags.Precision, Precision },
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
}
