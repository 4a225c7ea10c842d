using Microsoft.AspNetCore.Mvc;

namespace LiteRestore.Api.Endpoints;

/// <summary>The query string every restoration endpoint shares (bound with <c>[AsParameters]</c>); Swagger describes each choice.</summary>
internal sealed record RestorationQuery(
    [FromQuery(Name = "variant")] string? Variant,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "precision")] string? Precision);
