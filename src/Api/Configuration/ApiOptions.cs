using System.ComponentModel.DataAnnotations;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Configuration;

/// <summary>The "Api" section: what the HTTP layer accepts and answers by default.</summary>
internal sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest request body (raw image or whole multipart form) in bytes; larger uploads get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Variant used when a request names none.</summary>
    public ModelVariant DefaultVariant { get; set; } = ModelVariant.Lightweight;

    /// <summary>Whether Swagger UI and the OpenAPI document are served (under <c>/swagger</c>); off in a production that does not want them.</summary>
    public bool SwaggerUi { get; set; } = true;

    /// <summary>Encoding used when a request names none, neither in <c>format</c> nor in <c>Accept</c>.</summary>
    public ImageFormat DefaultFormat { get; set; } = ImageFormat.Png;
}
