using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LiteRestore.Api.OpenApi;

/// <summary>What each group of operations is for: Swagger UI shows it above the group.</summary>
internal sealed class TagDescriptionsDocumentFilter : IDocumentFilter
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["Restoration"] = "Restore a photograph while you wait: the answer is the image. Larger images go to the jobs.",
        ["Jobs"] = "Restore an image of any size in the background: submit it, follow its progress, collect the result.",
        ["Models"] = "The installed models in each precision they are served in: cards, availability, memory, live statistics.",
        ["Health"] = "Liveness and readiness, for orchestrators and load balancers.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(swaggerDoc);
        swaggerDoc.Tags = Descriptions.Select(tag => new OpenApiTag { Name = tag.Key, Description = tag.Value }).ToHashSet();
    }
}
