namespace LiteRestore.Api.Tests.Infrastructure;

/// <summary>The curl commands of README's "Using it" block, one per command (lines joined, pipes and comments cut).</summary>
internal static class ReadmeCommands
{
    private const string Section = "## Using it";
    private const string Fence = "```";

    public static IReadOnlyList<CurlCommand> All()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme[(readme.IndexOf(Section, StringComparison.Ordinal) + Section.Length)..];
        var start = section.IndexOf(Fence, StringComparison.Ordinal);
        var block = section[(section.IndexOf('\n', start) + 1)..section.IndexOf(Fence, start + Fence.Length, StringComparison.Ordinal)];
        return block.Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Where(line => line.Trim() is { Length: > 0 } text && !text.StartsWith('#'))
            .SelectMany(line => line.Split(';'))
            .Select(command => CurlCommand.Parse(command.Split('|')[0].Trim()))
            .ToList();
    }
}
