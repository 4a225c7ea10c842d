using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>One folder under the models root: its card when the card is valid, else why the model cannot be served.</summary>
internal sealed record ModelDescriptor(string Id, string Folder, ModelCard? Card, string? Error)
{
    public string ModelPath => Path.Combine(Folder, Card?.File ?? throw new InvalidOperationException($"Model '{Id}' has no valid card."));

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
