using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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

    ModelStatus? GetModel(string id);

    /// <summary>The model that serves <paramref name="task"/> in <paramref name="variant"/>, or null when there is none.</summary>
    string? ResolveModelId(RestorationTask task, ModelVariant variant);

    /// <summary>
    /// Restores <see cref="RestorationJob.Image"/> with the model named in the job. The caller owns the returned image.
    /// Throws <see cref="QueueFullException"/>, <see cref="ModelNotReadyException"/>, <see cref="InferenceTimeoutException"/>
    /// or <see cref="ImageRejectedException"/>; cancellation drops the job's pending tiles.
    /// </summary>
    Task<RestorationResult> RestoreAsync(RestorationJob job, CancellationToken cancellationToken);
}

/// <summary>
/// One restoration. For inpainting, <paramref name="Mask"/> marks the hole in white (same size as the image);
/// without a mask, transparent pixels of <paramref name="Image"/> (alpha below one half) mark it.
/// <paramref name="Progress"/> hears the tile count once the work is planned, then each tile done, on the thread that
/// finished it: it must be quick and must not call back into the engine. A <paramref name="Background"/> job (nobody
/// waits for its answer) is promised room in the queue but no longest wait, and so never turns others away.
/// </summary>
public sealed record RestorationJob(
    string ModelId, Image<Rgba64> Image, Image<Rgba64>? Mask = null, IProgress<TileProgress>? Progress = null, bool Background = false);

/// <summary>
/// The restored image (alpha carried over from the input) and where the time went: <paramref name="QueueWait"/> and
/// <paramref name="Inference"/> are consecutive wall-clock spans of the request; <paramref name="BatchTime"/> adds up
/// the batches that ran its tiles, which exceeds <paramref name="Inference"/> when sessions ran them side by side.
/// </summary>
public sealed record RestorationResult(
    Image<Rgba64> Image,
    string ModelId,
    string Provider,
    int Tiles,
    TimeSpan QueueWait,
    TimeSpan Inference,
    TimeSpan BatchTime);
