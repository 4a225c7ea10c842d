using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

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
