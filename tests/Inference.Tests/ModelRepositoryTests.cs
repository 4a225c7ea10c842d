using System.Text.Json.Nodes;
using LiteRestore.Contracts;
using LiteRestore.Inference.Tests.Infrastructure;

namespace LiteRestore.Inference.Tests;

public sealed class ModelRepositoryTests : IDisposable
{
    private readonly string root = Fixtures.CopyModels();

    public static TheoryData<string, string, string> BrokenCards => new()
    {
        // model, JSON path to change ("-" removes it), new value; the reason must name this field.
        { "tile.size", "tile.size", "0" },
        { "tile.overlap", "tile.overlap", "16" },
        { "input.channels", "input.channels", "4" },
        { "output.layout", "output.layout", "\"NHWC\"" },
        { "scale", "scale", "2" },
        { "sha256", "sha256", "\"00\"" },
        { "fileBytes", "fileBytes", "1" },
        { "file", "file", "\"missing.onnx\"" },
        { "id", "id", "\"someone-else\"" },
        { "task", "task", "\"sharpen\"" },
        { "network", "network", "null" },
        { "sha256", "sha256", "-" },
        { "input.name", "input.name", "\"pixels\"" },
    };

    [Theory]
    [MemberData(nameof(BrokenCards))]
    public async Task ABadCardMakesOnlyThatModelUnavailableWithAReasonNamingFileAndField(string field, string path, string value)
    {
        Edit(Path.Combine(root, "fx-conv", "model.json"), path, value);

        using var engine = await TestEngines.StartAsync(["fx-conv", "fx-identity"], root: root);

        var broken = engine.Status("fx-conv");
        Assert.Equal(ModelAvailability.Unavailable, broken.Availability);
        Assert.Contains("fx-conv/model.", broken.Reason, StringComparison.Ordinal);  // its card or its graph
        Assert.DoesNotContain(root, broken.Reason, StringComparison.Ordinal);
        Assert.Contains(field, broken.Reason, StringComparison.Ordinal);
        Assert.Null(broken.Engine);
        Assert.Equal(ModelAvailability.Ready, engine.Status("fx-identity").Availability);
        Assert.False(engine.IsReady);
        var notReady = await Assert.ThrowsAsync<ModelNotReadyException>(() => engine.RestoreAsync("fx-conv", TestImages.Random(4, 4)));
        Assert.Contains(field, notReady.Message, StringComparison.Ordinal);
        using var served = await engine.RestoreAsync("fx-identity", TestImages.Random(4, 4));
    }

    [Fact]
    public async Task AFolderWithoutACardOrWithBrokenJsonIsReported()
    {
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "fx-conv", "model.json"), "{ \"id\": ");

        using var engine = await TestEngines.StartAsync([], root: root);

        Assert.Contains("model.json: file not found", engine.Status("empty").Reason, StringComparison.Ordinal);
        Assert.Contains("fx-conv/model.json", engine.Status("fx-conv").Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(root, engine.Status("fx-conv").Reason, StringComparison.Ordinal);
        Assert.Equal(ModelAvailability.Ready, engine.Status("fx-sr-nearest").Availability);
    }

    [Fact]
    public async Task ReadinessNeedsEveryModelUnlessRelaxed()
    {
        File.WriteAllText(Path.Combine(root, "fx-conv", "model.json"), "{ \"id\": ");

        using var strict = await TestEngines.StartAsync(["fx-conv", "fx-identity"], root: root);
        using var relaxed = await TestEngines.StartAsync(["fx-conv", "fx-identity"], o => o.RequireEveryModelForReadiness = false, root: root);

        Assert.False(strict.IsReady);
        Assert.True(relaxed.IsReady);
    }

    [Fact]
    public async Task AGraphThatDoesNotMatchItsCardIsUnavailable()
    {
        var identity = Path.Combine(root, "fx-identity");
        File.Copy(Path.Combine(root, "fx-inpaint", "model.onnx"), Path.Combine(identity, "model.onnx"), overwrite: true);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(identity, "model.json")))!;
        var file = new FileInfo(Path.Combine(identity, "model.onnx"));
        card["fileBytes"] = file.Length;
        card["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName)));
        File.WriteAllText(Path.Combine(identity, "model.json"), card.ToJsonString());

        using var engine = await TestEngines.StartAsync(["fx-identity"], root: root);

        var status = engine.Status("fx-identity");
        Assert.Equal(ModelAvailability.Unavailable, status.Availability);
        Assert.Contains("input.channels", status.Reason, StringComparison.Ordinal);
        Assert.False(engine.IsReady);
    }

    [Fact]
    public async Task TheAllowListLimitsWhichModelsAreServedAndResolveFindsThem()
    {
        using var engine = await TestEngines.StartAsync(["fx-identity", "fx-sr-nearest"]);

        Assert.Equal(["fx-identity", "fx-sr-nearest"], engine.GetModels().Select(m => m.Id));
        Assert.Equal(new ResolvedModel(new ModelKey("fx-identity"), 1), engine.Resolve(new ModelRequest(RestorationTask.Denoise, ModelVariant.Baseline, ModelPrecision.Fp32)));
        Assert.Equal(new ResolvedModel(new ModelKey("fx-sr-nearest"), 4), engine.Resolve(new ModelRequest(RestorationTask.SuperResolve, ModelVariant.Baseline, ModelPrecision.Fp32, Scale: 4)));
        Assert.Throws<ScaleNotOfferedException>(() => engine.Resolve(new ModelRequest(RestorationTask.SuperResolve, ModelVariant.Baseline, ModelPrecision.Fp32, Scale: 2)));
        Assert.Throws<ModelNotFoundException>(() => engine.Resolve(new ModelRequest(RestorationTask.Inpaint, ModelVariant.Baseline, ModelPrecision.Fp32)));
        Assert.Throws<ModelNotFoundException>(() => engine.Resolve(new ModelRequest(RestorationTask.Denoise, ModelVariant.Baseline, ModelPrecision.Int8)));
        Assert.Null(engine.GetModel(new ModelKey("fx-conv")));
        await Assert.ThrowsAsync<ModelNotFoundException>(() => engine.RestoreAsync("fx-conv", TestImages.Random(4, 4)));
    }

    [Fact]
    public async Task AnotherPrecisionACardOffersIsServedBesideFp32WithStatisticsOfItsOwn()
    {
        OfferInt8("fx-identity");
        using var engine = await TestEngines.StartAsync(["fx-identity"], root: root);
        using var input = TestImages.Random(8, 8);

        var result = await engine.RestoreAsync(new RestorationJob("fx-identity", input, Precision: ModelPrecision.Int8), CancellationToken.None);

        result.Image.Dispose();
        Assert.Equal([ModelPrecision.Fp32, ModelPrecision.Int8], engine.GetModels().Select(m => m.Precision));
        Assert.All(engine.GetModels(), m => Assert.Equal(ModelAvailability.Ready, m.Availability));
        Assert.Equal(1, engine.GetModel(new ModelKey("fx-identity", ModelPrecision.Int8))!.Stats!.Requests);
        Assert.Equal(0, engine.Status("fx-identity").Stats!.Requests);
        Assert.True(engine.IsReady);
    }

    [Fact]
    public async Task ABrokenPrecisionFileMakesOnlyThatPrecisionUnavailable()
    {
        OfferInt8("fx-identity", sha256: "00");
        using var engine = await TestEngines.StartAsync(["fx-identity"], root: root);

        var int8 = engine.GetModel(new ModelKey("fx-identity", ModelPrecision.Int8))!;
        Assert.Equal(ModelAvailability.Unavailable, int8.Availability);
        Assert.Contains("precisions[0].sha256", int8.Reason, StringComparison.Ordinal);
        Assert.Equal(ModelAvailability.Ready, engine.Status("fx-identity").Availability);
    }

    [Fact]
    public async Task APrecisionThatIsNotServedIsNotFoundAndTheAnswerSaysWhichAre()
    {
        OfferInt8("fx-identity");
        using var engine = await TestEngines.StartAsync(["fx-identity"], o => o.Precisions = [ModelPrecision.Fp32], root: root);
        using var input = TestImages.Random(4, 4);

        var missing = await Assert.ThrowsAsync<ModelNotFoundException>(() =>
            engine.RestoreAsync(new RestorationJob("fx-identity", input, Precision: ModelPrecision.Int8), CancellationToken.None));

        Assert.Equal([ModelPrecision.Fp32], engine.GetModels().Select(m => m.Precision));
        Assert.Contains("is not served in int8; it is in: fp32", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingModelsRootServesNothingAndIsNotReady()
    {
        using var engine = await TestEngines.StartAsync([], root: Path.Combine(root, "nowhere"));

        Assert.Empty(engine.GetModels());
        Assert.False(engine.IsReady);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Offers the model's own graph again as its int8 graph: the repository checks only that the file is what the card says.</summary>
    private void OfferInt8(string model, string? sha256 = null)
    {
        var folder = Path.Combine(root, model);
        var int8 = Path.Combine(folder, "model.int8.onnx");
        File.Copy(Path.Combine(folder, "model.onnx"), int8);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "model.json")))!.AsObject();
        card["precisions"] = new JsonArray(new JsonObject
        {
            ["precision"] = "int8",
            ["file"] = "model.int8.onnx",
            ["parity"] = "parity.json",
            ["fileBytes"] = new FileInfo(int8).Length,
            ["sha256"] = sha256 ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(int8))),
            ["quantisedConvolutions"] = 0,
            ["fp32Convolutions"] = 1,
            ["parityToleranceAgainstFp32"] = 0,
        });
        File.WriteAllText(Path.Combine(folder, "model.json"), card.ToJsonString());
    }

    private static void Edit(string cardPath, string path, string value)
    {
        var card = JsonNode.Parse(File.ReadAllText(cardPath))!.AsObject();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(card, (node, part) => node[part]!.AsObject());
        if (value == "-")
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(value);
        }

        File.WriteAllText(cardPath, card.ToJsonString());
    }
}
