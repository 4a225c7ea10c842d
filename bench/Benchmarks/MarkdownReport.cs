using System.Globalization;
using System.Text;

namespace LiteRestore.Benchmarks;

/// <summary>
/// docs/benchmarks.md is written by two runs (the CPU benchmark, the GPU check), often on different machines; each
/// replaces only its own section, marked by HTML comments, and keeps the other.
/// </summary>
internal static class MarkdownReport
{
    private const string Title = "# Benchmarks\n\nThe marked sections are written by `bench/Benchmarks`; text outside them is kept.\n";

    public static void ReplaceSection(string path, string name, string content)
    {
        var start = $"<!-- {name} -->";
        var end = $"<!-- /{name} -->";
        var text = File.Exists(path) ? File.ReadAllText(path) : Title;
        var section = $"{start}\n{content.TrimEnd()}\n{end}";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? string.Concat(text.AsSpan(0, from), section, text.AsSpan(to + end.Length))
            : $"{text.TrimEnd()}\n\n{section}\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A number as a table cell, written the same on every machine whatever its culture.</summary>
    public static string Cell(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var builder = new StringBuilder();
        builder.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        builder.Append('|').AppendJoin('|', header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
        {
            builder.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        }

        return builder.ToString();
    }
}
