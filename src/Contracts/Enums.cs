using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>What a model does to a picture. Serialised in kebab case: denoise, super-resolve, inpaint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestorationTask>))]
public enum RestorationTask
{
    [JsonStringEnumMemberName("denoise")] Denoise,
    [JsonStringEnumMemberName("super-resolve")] SuperResolve,
    [JsonStringEnumMemberName("inpaint")] Inpaint,
}

/// <summary>Which network of a task: the full-capacity baseline, the lightweight one, or an experiment that is never a default.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelVariant>))]
public enum ModelVariant
{
    [JsonStringEnumMemberName("baseline")] Baseline,
    [JsonStringEnumMemberName("lightweight")] Lightweight,
    [JsonStringEnumMemberName("experimental")] Experimental,
}

/// <summary>
/// The arithmetic a model's graph runs in: fp32, or int8 (static QDQ quantisation, which ONNX Runtime runs as
/// QLinearConv on VNNI/AMX).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelPrecision>))]
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The precisions are named for their number types.")]
public enum ModelPrecision
{
    [JsonStringEnumMemberName("fp32")] Fp32,
    [JsonStringEnumMemberName("int8")] Int8,
}

/// <summary>Encodings the service can answer with.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    [JsonStringEnumMemberName("png")] Png,
    [JsonStringEnumMemberName("jpeg")] Jpeg,
    [JsonStringEnumMemberName("webp")] Webp,
}

/// <summary>Where a model stands in its life cycle.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelAvailability>))]
public enum ModelAvailability
{
    [JsonStringEnumMemberName("loading")] Loading,
    [JsonStringEnumMemberName("ready")] Ready,
    [JsonStringEnumMemberName("unavailable")] Unavailable,
}

/// <summary>Where an asynchronous job stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    /// <summary>Waiting for room in the model's queue, or for its first tile to finish.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}
