using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Contracts.Tests;

/// <summary>The JSON that training writes, the service answers and clients read: names a user types in URLs and files.</summary>
public sealed class WireFormatTests
{
    [Theory]
    [InlineData(RestorationTask.Denoise, "denoise")]
    [InlineData(RestorationTask.SuperResolve, "super-resolve")]
    [InlineData(RestorationTask.Inpaint, "inpaint")]
    public void TasksTravelInKebabCase(RestorationTask task, string wire)
    {
        Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(task, JsonSerializerOptions.Web));
        Assert.Equal(task, JsonSerializer.Deserialize<RestorationTask>($"\"{wire}\"", JsonSerializerOptions.Web));
    }

    [Fact]
    public void VariantsFormatsAndAvailabilityTravelInLowerCase()
    {
        Assert.Equal("\"lightweight\"", JsonSerializer.Serialize(ModelVariant.Lightweight, JsonSerializerOptions.Web));
        Assert.Equal("\"webp\"", JsonSerializer.Serialize(ImageFormat.Webp, JsonSerializerOptions.Web));
        Assert.Equal("\"unavailable\"", JsonSerializer.Serialize(ModelAvailability.Unavailable, JsonSerializerOptions.Web));
    }

    [Fact]
    public void ACardAsTheTrainingPipelineWritesItReadsBackWhole()
    {
        const string json = """
            {
              "id": "sr4-lightweight", "task": "super-resolve", "variant": "lightweight", "network": "SRResNet with LIST",
              "file": "model.onnx", "scale": 4,
              "input": {"name": "input", "channels": 3, "layout": "NCHW", "elementType": "float32"},
              "output": {"name": "output", "channels": 3, "layout": "NCHW", "elementType": "float32"},
              "tile": {"size": 48, "overlap": 8, "contextMargin": 0}, "residual": false,
              "parameters": 113587, "macsPerOutputPixel": 23785, "fileBytes": 503113, "sha256": "a8ea",
              "training": {"data": "wallpapers", "steps": 3, "wallSeconds": 1.5, "seed": 0, "codeRevision": "c0e8380", "device": "cpu"},
              "quality": [{"metric": "psnr", "condition": "PSNR Y", "value": 27.1, "reference": "bicubic", "referenceValue": 26.0}],
              "precisions": [{"precision": "int8", "file": "model.int8.onnx", "parity": "parity.int8.json", "fileBytes": 1778590,
                              "sha256": "b2c1", "quantisedConvolutions": 35, "fp32Convolutions": 3, "parityToleranceAgainstFp32": 0.02,
                              "validation": {"psnr_y": {"fp32": 28.98, "int8": 28.97}}}]
            }
            """;

        var card = JsonSerializer.Deserialize<ModelCard>(json, JsonSerializerOptions.Web)!;

        Assert.Equal(RestorationTask.SuperResolve, card.Task);
        Assert.Equal(ModelVariant.Lightweight, card.Variant);
        Assert.Equal(48, card.Tile.Size);
        Assert.Equal("c0e8380", card.Training.CodeRevision);
        Assert.Equal(26.0, Assert.Single(card.Quality).ReferenceValue);
        var int8 = Assert.Single(card.Precisions);
        Assert.Equal((ModelPrecision.Int8, "model.int8.onnx", 35), (int8.Precision, card.FileOf(ModelPrecision.Int8), int8.QuantisedConvolutions));
        Assert.Equal(new PrecisionComparison(28.98, 28.97), int8.Validation["psnr_y"]);
        var again = JsonSerializer.Deserialize<ModelCard>(JsonSerializer.Serialize(card, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;
        Assert.Equal(card with { Quality = [], Precisions = [] }, again with { Quality = [], Precisions = [] });
        Assert.Equal(int8 with { Validation = again.Precisions[0].Validation }, again.Precisions[0]);
    }

    [Fact]
    public void ACardWithoutARequiredFieldIsRejected()
    {
        const string json = """{"id": "x", "task": "denoise", "variant": "baseline"}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ModelCard>(json, JsonSerializerOptions.Web));
    }

    [Fact]
    public void EveryErrorCodeAndInstrumentNameIsDistinct()
    {
        static string[] Constants(Type type) =>
            type.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

        var codes = Constants(typeof(ErrorCodes));
        var instruments = Constants(typeof(TelemetryNames)).Where(n => n.StartsWith("literestore.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(codes.Length, codes.Distinct().Count());
        Assert.Equal(instruments.Length, instruments.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z_]+$", c));
    }
}
