using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Finds which of the served models answers a request, and says in words why none does.</summary>
internal static class ModelResolver
{
    /// <summary>
    /// Prefers a model whose graph is ready, then its fp32 graph: a loading or failed model is still chosen, so that the
    /// restoration says it is not ready rather than that it does not exist.
    /// </summary>
    public static ResolvedModel Resolve(IReadOnlyDictionary<ModelKey, ServedModel> models, ModelRequest request)
    {
        var variantName = WireNames.Of(request.Variant);
        var taskName = WireNames.Of(request.Task);
        var modelId = models.Values
            .Where(m => m.Card?.Task == request.Task && m.Card.Variant == request.Variant)
            .OrderBy(m => m.Availability == ModelAvailability.Ready ? 0 : 1)
            .ThenBy(m => m.Precision == ModelPrecision.Fp32 ? 0 : 1)
            .Select(m => m.Id)
            .FirstOrDefault();
        if (modelId is null)
        {
            // A folder whose card cannot be read may hold exactly the model asked for: that is a broken installation
            // to retry elsewhere, not a model that was never installed.
            var unreadable = models.Values.Where(m => m.Card is null).Select(m => m.Id).Distinct().ToList();
            var asked = $"{taskName}/{variantName}";
            throw unreadable.Count > 0
                ? new ModelNotReadyException(asked,
                    $"no model in this variant serves, and the cards of {string.Join(", ", unreadable)} cannot be read (GET /v1/models gives the reasons).")
                : new ModelNotFoundException(asked, $"No {taskName} model is installed in the {variantName} variant.");
        }

        var key = new ModelKey(modelId, request.Precision);
        var served = Find(models, key);
        if (request.Scale is { } scale && served.Card is { } card && scale != card.Scale)
        {
            throw new ScaleNotOfferedException($"scale={scale} is not offered: the {variantName} model '{modelId}' enlarges {card.Scale}x.");
        }

        return new ResolvedModel(key, served.Card?.Scale ?? 1);
    }

    /// <summary>The model served under <paramref name="key"/>; throws <see cref="ModelNotFoundException"/> naming the precisions it is served in.</summary>
    public static ServedModel Find(IReadOnlyDictionary<ModelKey, ServedModel> models, ModelKey key)
    {
        if (models.TryGetValue(key, out var served))
        {
            return served;
        }

        var offered = models.Keys.Where(k => k.Id == key.Id).Select(k => WireNames.Of(k.Precision)).ToList();
        throw offered.Count > 0
            ? new ModelNotFoundException(key.Id, $"Model '{key.Id}' is not served in {WireNames.Of(key.Precision)}; it is in: {string.Join(", ", offered)}.")
            : new ModelNotFoundException(key.Id);
    }
}
