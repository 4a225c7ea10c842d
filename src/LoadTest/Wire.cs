using System.Text.Json;

namespace LiteRestore.LoadTest;

/// <summary>
/// The names the Contracts enums carry on the wire (query strings, JSON), taken from their own JSON converters so that
/// the load tester spells them exactly as the service does.
/// </summary>
internal static class Wire
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value))!;

    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(Name)];

    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
