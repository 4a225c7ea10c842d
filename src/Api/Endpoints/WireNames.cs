using System.Reflection;
using System.Text.Json.Serialization;

namespace LiteRestore.Api.Endpoints;

/// <summary>The names the Contracts enums carry on the wire (their <see cref="JsonStringEnumMemberNameAttribute"/>), for query strings and headers.</summary>
internal static class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly IReadOnlyDictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(
        value => value,
        value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                 ?? value.ToString());

    public static IEnumerable<string> All => Names.Values;

    public static string Of(TEnum value) => Names[value];

    public static bool TryParse(string text, out TEnum value)
    {
        foreach (var (candidate, name) in Names)
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
}
