using LiteRestore.Contracts;

namespace LiteRestore.Api.Endpoints;

/// <summary>
/// What the upload will be restored with, which decides how much memory it needs, and the most pixels it may have
/// (null: only the image limits bound it).
/// </summary>
internal readonly record struct UploadPurpose(RestorationTask Task, int Scale, long? MaxPixels = null);
