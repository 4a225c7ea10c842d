namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>A test that needs trained models: skipped, naming them, while <c>models/&lt;id&gt;</c> does not exist yet.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ModelFactAttribute : FactAttribute
{
    public ModelFactAttribute(params string[] modelIds)
    {
        var missing = modelIds.Where(id => !RepositoryPaths.IsTrained(id)).ToList();
        if (missing.Count > 0)
        {
            Skip = $"Not trained yet: {string.Join(", ", missing.Select(id => $"models/{id}"))} is missing.";
        }
    }
}
