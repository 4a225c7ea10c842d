using LiteRestore.Contracts;

namespace LiteRestore.Api.OpenApi;

/// <summary>Marks an endpoint that reads an image upload itself (multipart or raw body), for <see cref="ImageUploadOperationFilter"/>.</summary>
internal sealed record ImageUploadMetadata(RestorationTask Task, bool AcceptsMask);
