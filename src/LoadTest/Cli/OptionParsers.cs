using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LiteRestore.LoadTest.Cli;

/// <summary>Options of a kind (seconds, limits, positive numbers) and the errors they answer bad values with.</summary>
internal static class OptionParsers
{
    /// <summary>The finest time any of these options can mean: timers tick in whole milliseconds.</summary>
    private const double ShortestSeconds = 0.001;

    public static Option<double> Seconds(string name, string description, double defaultValue, bool allowZero) => new(name)
    {
        Description = description,
        HelpName = "seconds",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => TryParseDouble(result.Tokens[0].Value, out var seconds) && (seconds >= ShortestSeconds || (allowZero && seconds == 0))
            ? seconds
            : Invalid<double>(result, (allowZero ? "0 or " : "") + $"a number of seconds from {ShortestSeconds.ToString(CultureInfo.InvariantCulture)}"),
    };

    public static Option<double?> Limit(string name, string description, string unit, double? upperBound) => new(name)
    {
        Description = description,
        HelpName = unit,
        CustomParser = result => TryParseDouble(result.Tokens[0].Value, out var limit) && limit >= 0 && (upperBound is null || limit <= upperBound)
            ? limit
            : Invalid<double?>(result, upperBound is { } bound ? $"a number from 0 to {bound.ToString(CultureInfo.InvariantCulture)}" : "a number, 0 or more"),
    };

    public static Action<CommandResult> Exclusive(Option first, Option second) => result =>
    {
        if (result.GetResult(first) is { Implicit: false } && result.GetResult(second) is { Implicit: false })
        {
            result.AddError($"{first.Name} and {second.Name} cannot be used together.");
        }
    };

    public static T Invalid<T>(ArgumentResult result, string expected)
    {
        result.AddError($"'{result.Tokens[0].Value}' is not valid for {(result.Parent as OptionResult)?.Option.Name}: expected {expected}.");
        return default!;
    }

    private static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryParsePositive(string text, out double value) => TryParseDouble(text, out value) && value > 0;

    public static bool TryParsePositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}
