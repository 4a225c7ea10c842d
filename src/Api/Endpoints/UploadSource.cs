namespace LiteRestore.Api.Endpoints;

/// <summary>
/// Where an upload's image, and its mask where one was sent, can be read from, as often as needed: from the request's
/// buffers, or from a job's files.
/// </summary>
internal sealed record UploadSource(Func<Stream> OpenImage, Func<Stream>? OpenMask);
