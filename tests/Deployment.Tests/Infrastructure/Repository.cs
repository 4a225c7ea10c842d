using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>The repository's files, read in place, and navigation in their YAML.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML file, with anchors, aliases and merge keys (<c>&lt;&lt;:</c>) resolved.</summary>
    public static IReadOnlyList<YamlNode> Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents.Select(document => document.RootNode).ToList();
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string Text(this YamlNode? node) =>
        (node as YamlScalarNode)?.Value ?? throw new InvalidOperationException($"Expected a scalar, found {node?.NodeType.ToString() ?? "nothing"}.");

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode mapping ? mapping.Children.Select(entry => (entry.Key.Text(), entry.Value)) : [];

    /// <summary>Every mapping in the tree, depth first.</summary>
    public static IEnumerable<YamlMappingNode> Mappings(this YamlNode node) => node.AllNodes.OfType<YamlMappingNode>();
}
