using System.Reflection;
using System.Text.Json.Serialization;

namespace LiteRestore.Contracts;

/// <summary>
/// The names the Contracts enums carry on the wire (their <see cref="JsonStringEnumMemberNameAttribute"/>), for query
/// strings, headers and metric tags: one vocabulary for the server, its clients and its telemetry.
/// </summary>
public static class WireNames
{
    public static IEnumerable<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.ByValue.Values;

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (candidate, name) in Names<TEnum>.ByValue)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Each enum's names, read from its attributes once.</summary>
    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly IReadOnlyDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToDictionary(
            value => value,
            value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                     ?? value.ToString());
    }
}
