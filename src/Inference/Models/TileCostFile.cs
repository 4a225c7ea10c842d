using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>Reads and writes a model folder's <see cref="TileCostTable"/>.</summary>
internal static class TileCostFile
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        WriteIndented = true,
    };

    /// <summary>The table in <paramref name="folder"/>, or null where it has none; a file that is not one throws.</summary>
    public static TileCostTable? Read(string folder)
    {
        var path = Path.Combine(folder, TileCostTable.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<TileCostTable>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path}: the table is null.");
    }

    public static void Write(string folder, TileCostTable table) =>
        File.WriteAllText(Path.Combine(folder, TileCostTable.FileName), JsonSerializer.Serialize(table, JsonOptions) + "\n");
}
