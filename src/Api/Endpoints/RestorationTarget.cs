using LiteRestore.Contracts;
using LiteRestore.Inference;

namespace LiteRestore.Api.Endpoints;

/// <summary>What a restoration will run on: the model in its precision (and its scale), and how the answer is encoded.</summary>
internal readonly record struct RestorationTarget(RestorationTask Task, ModelKey Model, int Scale, RestorationSettings Settings)
{
    /// <summary>How the upload is read for this target; <paramref name="maxPixels"/> bounds what may be decoded for it.</summary>
    public UploadPurpose Purpose(long? maxPixels) => new(Task, Scale, maxPixels);
}
