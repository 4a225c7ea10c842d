using System.Text.Json;
using LiteRestore.Client;
using LiteRestore.Contracts;

namespace LiteRestore.LoadTest.Http;

/// <summary>Reads <c>GET /v1/models</c> and finds the model that serves a task in a variant.</summary>
internal sealed class ModelsClient(LiteRestoreClient client)
{
    public const string Path = "/v1/models";

    public Task<IReadOnlyList<ModelStatus>> ListAsync(CancellationToken cancellationToken) => client.ListModelsAsync(cancellationToken);

    /// <summary>The model's entry now, or null when the service cannot tell (it may have failed under load: the run goes on).</summary>
    public async Task<ModelSnapshot?> SnapshotAsync(string modelId, ModelPrecision precision, CancellationToken cancellationToken)
    {
        try
        {
            var models = await ListAsync(cancellationToken);
            return models.FirstOrDefault(model => model.Id == modelId && model.Precision == precision) is { } status ? ModelSnapshot.From(status) : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or LiteRestoreProblemException)
        {
            return null;
        }
    }

    /// <summary>
    /// The model of this task and variant that is ready in every one of <paramref name="precisions"/>, as the service
    /// would pick it; a clear error when there is none.
    /// </summary>
    public static string ResolveModelId(IReadOnlyList<ModelStatus> models, RestorationTask task, ModelVariant variant, IReadOnlyList<ModelPrecision> precisions)
    {
        var candidates = models.Where(model => model.Card?.Task == task && model.Card.Variant == variant).ToList();
        var ready = candidates.GroupBy(model => model.Id).FirstOrDefault(served => precisions.All(precision =>
            served.Any(model => model.Precision == precision && model.Availability == ModelAvailability.Ready)));
        if (ready is not null)
        {
            return ready.Key;
        }

        var found = candidates.Count == 0
            ? "none is installed"
            : string.Join("; ", candidates.Select(model =>
                $"{model.Id} in {WireNames.Of(model.Precision)} is {WireNames.Of(model.Availability)}{(model.Reason is null ? "" : $" ({model.Reason})")}"));
        throw new LoadTestException(
            $"No {WireNames.Of(task)} model in the {WireNames.Of(variant)} variant is ready in {string.Join(" and ", precisions.Select(WireNames.Of))}: {found}.");
    }
}
