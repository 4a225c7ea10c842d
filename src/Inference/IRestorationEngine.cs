using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// What the HTTP layer asks of the inference engine. Nothing here knows about HTTP; failures the caller must map to
/// an answer are the typed exceptions of <see cref="RestorationException"/>.
/// </summary>
public interface IRestorationEngine
{
    /// <summary>True once every available model has been loaded and warmed up.</summary>
    bool IsReady { get; }

    IReadOnlyList<ModelStatus> GetModels();

    ModelStatus? GetModel(ModelKey model);

    /// <summary>
    /// The model and precision that serve <paramref name="request"/>. Throws <see cref="ModelNotFoundException"/> where
    /// none is installed or not in that precision, <see cref="ModelNotReadyException"/> where the installation is broken,
    /// and <see cref="ScaleNotOfferedException"/> where the model enlarges by another factor.
    /// </summary>
    ResolvedModel Resolve(ModelRequest request);

    /// <summary>
    /// Restores <see cref="RestorationJob.Image"/> with the model and precision named in the job. The caller owns the
    /// returned image. Throws <see cref="ModelNotFoundException"/> where that model or precision is not served, and
    /// <see cref="QueueFullException"/>, <see cref="ModelNotReadyException"/>, <see cref="InferenceTimeoutException"/>
    /// or <see cref="ImageRejectedException"/>; cancellation drops the job's pending tiles.
    /// </summary>
    Task<RestorationResult> RestoreAsync(RestorationJob job, CancellationToken cancellationToken);
}
