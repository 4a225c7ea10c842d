using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// One precision of one folder under the models root: its card when the card (and this precision's file) is valid,
/// else why the model cannot be served.
/// </summary>
internal sealed record ModelDescriptor(string Id, string Folder, ModelCard? Card, string? Error, ModelPrecision Precision = ModelPrecision.Fp32)
{
    public ModelKey Key => new(Id, Precision);

    public string ModelPath => Path.Combine(Folder, Card is null
        ? throw new InvalidOperationException($"Model '{Key}' has no valid card.")
        : Card.FileOf(Precision) ?? throw new InvalidOperationException($"Model '{Id}' has no {WireNames.Of(Precision)} file."));

    /// <summary>
    /// <paramref name="message"/> with the model folder's location on this server replaced by its id, and the app's
    /// own folder left out: reasons are shown to clients (503 details, <c>/v1/models</c>), and where the server keeps
    /// its files is none of theirs.
    /// </summary>
    public string Redact(string message) => message
        .Replace(Path.GetFullPath(Folder), Id, StringComparison.Ordinal)
        .Replace(Folder, Id, StringComparison.Ordinal)
        .Replace(AppContext.BaseDirectory, string.Empty, StringComparison.Ordinal);
}
