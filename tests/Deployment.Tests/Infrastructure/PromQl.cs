using System.Text.RegularExpressions;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>A label matcher of a selector: <c>label op "value"</c>.</summary>
internal sealed record LabelMatcher(string Label, string Operator, string Value)
{
    /// <summary>
    /// The values a matcher names literally: the value itself, or each branch of a regular expression that is a plain
    /// alternation (<c>a|b|c</c>). Grafana variables and real patterns name none.
    /// </summary>
    public IEnumerable<string> LiteralValues() =>
        Value.Contains('$', StringComparison.Ordinal) || (Operator is "=~" or "!~" && !PromQl.IsPlainAlternation(Value))
            ? []
            : Value.Split('|');
}

/// <summary>The metric names, label names and label matchers a PromQL expression (or a Grafana label_values query) uses.</summary>
internal sealed partial record PromQl(IReadOnlySet<string> Metrics, IReadOnlySet<string> Labels, IReadOnlyList<LabelMatcher> Matchers)
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    public static PromQl Parse(string expression)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        var matchers = new List<LabelMatcher>();

        // Grafana's label_values(metric, label) is not PromQL: its label is a bare identifier.
        var rest = LabelValues().Replace(expression, m =>
        {
            labels.Add(m.Groups[2].Value);
            return m.Groups[1].Value;
        });
        rest = Selector().Replace(rest, m =>
        {
            foreach (Match matcher in Matcher().Matches(m.Groups[1].Value))
            {
                matchers.Add(new(matcher.Groups[1].Value, matcher.Groups[2].Value, Regex.Unescape(matcher.Groups[3].Value)));
                labels.Add(matcher.Groups[1].Value);
            }

            return " ";
        });
        rest = Grouping().Replace(rest, m =>
        {
            labels.UnionWith(m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return " ";
        });
        rest = Range().Replace(rest, " ");

        var metrics = Identifier().Matches(rest)
            .Where(m => !rest[(m.Index + m.Length)..].TrimStart().StartsWith('(') && !Keywords.Contains(m.Value.ToLowerInvariant()))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
        return new(metrics, labels, matchers);
    }

    public static bool IsPlainAlternation(string pattern) => PlainAlternation().IsMatch(pattern);

    [GeneratedRegex(@"label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\{([^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"(\w+)\s*(=~|!~|!=|=)\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"(?<![\w.$])[A-Za-z_:][\w:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\w+(\|\w+)*$")]
    private static partial Regex PlainAlternation();
}
