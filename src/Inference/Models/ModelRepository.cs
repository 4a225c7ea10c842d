using System.Security.Cryptography;
using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Finds <c>&lt;root&gt;/&lt;id&gt;/model.json</c> cards and validates each against its folder and ONNX file.</summary>
internal static class ModelRepository
{
    public const string CardFileName = "model.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
    };

    /// <summary>
    /// Every model folder under <paramref name="root"/> (those in <paramref name="allowList"/> when it is not empty),
    /// sorted by id, each in fp32 and in every other precision its card offers (those in <paramref name="precisions"/>
    /// when it is not empty).
    /// </summary>
    public static IReadOnlyList<ModelDescriptor> Discover(string root, ICollection<string> allowList, ICollection<ModelPrecision> precisions)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .Select(folder => (Folder: folder, Id: Path.GetFileName(folder)))
            .Where(m => allowList.Count == 0 || allowList.Contains(m.Id, StringComparer.Ordinal))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => Read(m.Id, m.Folder))
            .SelectMany(fp32 => (fp32.Card?.Precisions ?? []).Select(p => (Fp32: fp32, Other: (PrecisionCard?)p)).Prepend((Fp32: fp32, Other: null)))
            .Where(m => precisions.Count == 0 || precisions.Contains(m.Other?.Precision ?? ModelPrecision.Fp32))
            // each other precision's file is hashed only where that precision is served
            .Select(m => m.Other is null ? m.Fp32 : OtherPrecision(m.Fp32, m.Other))
            .ToList();
    }

    public static ModelDescriptor Read(string id, string folder)
    {
        var cardPath = Path.Combine(folder, CardFileName);
        var cardName = $"{id}/{CardFileName}";  // the card as clients may see it named
        if (!File.Exists(cardPath))
        {
            return new ModelDescriptor(id, folder, null, $"{cardName}: file not found.");
        }

        ModelCard? card;
        try
        {
            using var stream = File.OpenRead(cardPath);
            card = JsonSerializer.Deserialize<ModelCard>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            return new ModelDescriptor(id, folder, null, $"{cardName}: field '{e.Path ?? "$"}': {e.Message}");
        }

        if (card is null)
        {
            return new ModelDescriptor(id, folder, null, $"{cardName}: field '$': the card is null.");
        }

        var errors = Validate(card, id, folder).Select(e => $"{cardName}: field '{e.Field}' {e.Problem}").ToList();
        return errors.Count == 0
            ? new ModelDescriptor(id, folder, card, null)
            : new ModelDescriptor(id, folder, null, string.Join("; ", errors));
    }

    /// <summary>The card's <paramref name="precision"/> of the network, served where its own file checks out.</summary>
    private static ModelDescriptor OtherPrecision(ModelDescriptor fp32, PrecisionCard precision)
    {
        var card = fp32.Card!;
        var index = card.Precisions.ToList().IndexOf(precision);
        var errors = ValidateFile($"precisions[{index}].", precision.File, precision.FileBytes, precision.Sha256, fp32.Folder)
            .Select(e => $"{fp32.Id}/{CardFileName}: field '{e.Field}' {e.Problem}")
            .ToList();
        return errors.Count == 0
            ? new ModelDescriptor(fp32.Id, fp32.Folder, card, null, precision.Precision)
            : new ModelDescriptor(fp32.Id, fp32.Folder, null, string.Join("; ", errors), precision.Precision);
    }

    private static IEnumerable<(string Field, string Problem)> Validate(ModelCard card, string folderId, string folder)
    {
        if (card.Id != folderId)
        {
            yield return ("id", $"is '{card.Id}' but the folder is '{folderId}'.");
        }

        var expectedScale = card.Task == RestorationTask.SuperResolve ? 4 : 1;
        if (card.Scale != expectedScale)
        {
            yield return ("scale", $"is {card.Scale}; a {card.Task} model has scale {expectedScale}.");
        }

        if (card.Residual && card.Scale != 1)
        {
            yield return ("residual", "is true, which needs scale 1 (restored = input - output).");
        }

        var expectedInputChannels = card.Task == RestorationTask.Inpaint ? 4 : 3;
        foreach (var problem in ValidateTensor("input", card.Input, expectedInputChannels))
        {
            yield return problem;
        }

        foreach (var problem in ValidateTensor("output", card.Output, 3))
        {
            yield return problem;
        }

        foreach (var problem in ValidateTile(card.Tile))
        {
            yield return problem;
        }

        foreach (var problem in ValidateFile(string.Empty, card.File, card.FileBytes, card.Sha256, folder))
        {
            yield return problem;
        }
    }

    private static IEnumerable<(string Field, string Problem)> ValidateTile(TileSpec tile)
    {
        if (tile.Size <= 0)
        {
            yield return ("tile.size", $"is {tile.Size}; it must be positive.");
        }
        else if (tile.Overlap < 0 || 2 * tile.Overlap >= tile.Size)
        {
            yield return ("tile.overlap", $"is {tile.Overlap}; it must be at least 0 and less than half of tile.size ({tile.Size}).");
        }

        if (tile.ContextMargin < 0)
        {
            yield return ("tile.contextMargin", $"is {tile.ContextMargin}; it must not be negative.");
        }
    }

    private static IEnumerable<(string Field, string Problem)> ValidateTensor(string field, TensorSpec spec, int channels)
    {
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            yield return ($"{field}.name", "is empty.");
        }

        if (spec.Channels != channels)
        {
            yield return ($"{field}.channels", $"is {spec.Channels}; expected {channels}.");
        }

        if (spec.Layout != "NCHW")
        {
            yield return ($"{field}.layout", $"is '{spec.Layout}'; only NCHW is supported.");
        }

        if (spec.ElementType != "float32")
        {
            yield return ($"{field}.elementType", $"is '{spec.ElementType}'; only float32 is supported.");
        }
    }

    /// <summary>A graph file's problems: <paramref name="prefix"/> leads the names of the card's fields that describe it.</summary>
    private static IEnumerable<(string Field, string Problem)> ValidateFile(string prefix, string file, long fileBytes, string expectedSha256, string folder)
    {
        var path = Path.GetFullPath(Path.Combine(folder, file));
        if (Path.GetDirectoryName(path) != Path.GetFullPath(folder))
        {
            yield return ($"{prefix}file", $"'{file}' must name a file inside the model's folder.");
            yield break;
        }

        if (!File.Exists(path))
        {
            yield return ($"{prefix}file", $"'{file}' not found.");
            yield break;
        }

        var length = new FileInfo(path).Length;
        if (length != fileBytes)
        {
            yield return ($"{prefix}fileBytes", $"is {fileBytes} but {file} has {length} bytes.");
            yield break;
        }

        using var stream = File.OpenRead(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            yield return ($"{prefix}sha256", $"is '{expectedSha256}' but {file} hashes to '{sha256}'.");
        }
    }
}
