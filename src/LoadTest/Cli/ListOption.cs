using System.CommandLine;
using System.CommandLine.Parsing;

namespace LiteRestore.LoadTest.Cli;

internal delegate bool TryParse<T>(string text, out T value);

/// <summary>An option that takes a comma-separated list (<c>--concurrency 1,2,4,8</c>), also given as separate values.</summary>
internal static class ListOption
{
    public static Option<IReadOnlyList<T>> Create<T>(string name, string description, string valueName, TryParse<T> parse) => new(name)
    {
        Description = description,
        HelpName = valueName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => Parse(result, parse),
    };

    private static List<T> Parse<T>(ArgumentResult result, TryParse<T> parse)
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            foreach (var text in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!parse(text, out var value))
                {
                    result.AddError($"'{text}' is not a valid value for {(result.Parent as OptionResult)?.Option.Name}.");
                    return [];
                }

                values.Add(value);
            }
        }

        return values;
    }
}
