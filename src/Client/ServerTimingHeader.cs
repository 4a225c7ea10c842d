using System.Globalization;

namespace LiteRestore.Client;

/// <summary>Reads a <c>Server-Timing</c> header (W3C Server Timing): <c>name;dur=ms;desc="…"</c>, comma separated.</summary>
public static class ServerTimingHeader
{
    /// <summary>The span from admission until the request's first tile runs.</summary>
    public const string Queue = "queue";

    /// <summary>The span from the first tile until the last is back.</summary>
    public const string Infer = "infer";

    private const string DurationParameter = "dur";

    /// <summary>The duration in milliseconds of each metric that has one; metrics without <c>dur</c> are left out.</summary>
    public static IReadOnlyDictionary<string, double> Parse(string? header)
    {
        var durations = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
        {
            return durations;
        }

        foreach (var metric in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            foreach (var parameter in parts.Skip(1))
            {
                var (name, value) = SplitParameter(parameter);
                if (string.Equals(name, DurationParameter, StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
                {
                    durations[parts[0]] = milliseconds;
                }
            }
        }

        return durations;
    }

    private static (string Name, string Value) SplitParameter(string parameter)
    {
        var equals = parameter.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? (parameter, string.Empty)
            : (parameter[..equals].Trim(), parameter[(equals + 1)..].Trim().Trim('"'));
    }
}
