using System.Globalization;
using LiteRestore.Inference;

namespace LiteRestore.Benchmarks;

/// <summary>How a model's sessions share the CPU: <see cref="Sessions"/> sessions of <see cref="Threads"/> intra-op threads each (0: ONNX Runtime's default, one per core).</summary>
internal sealed record SessionConfig(int Sessions, int Threads)
{
    /// <summary>One session on every core, and the service's CPU default (one session per core up to four, the cores shared among their threads).</summary>
    public static IReadOnlyList<SessionConfig> Defaults { get; } = [new(1, 0), ServiceDefault()];

    /// <summary>Parses "1x0,2x1".</summary>
    public static IReadOnlyList<SessionConfig> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item =>
        {
            var parts = item.Split('x');
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var sessions) && sessions > 0
                                     && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var threads) && threads >= 0
                ? new SessionConfig(sessions, threads)
                : throw new ArgumentException($"'{item}' is not SESSIONSxTHREADS, e.g. 2x1.");
        }).ToList();

    private static SessionConfig ServiceDefault()
    {
        var layout = EngineLayouts.For(new InferenceOptions(), cuda: false);
        return new SessionConfig(layout.Sessions, layout.IntraOpThreads);
    }

    public override string ToString() => $"{Sessions} x {(Threads == 0 ? "all cores" : Threads.ToString(CultureInfo.InvariantCulture))}";
}
