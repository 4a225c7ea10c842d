using System.Diagnostics;

namespace LiteRestore.Benchmarks;

/// <summary>
/// A fixed stretch of time that counts the tiles done inside it. A run (one batch, from its start to its end) that
/// straddles an edge is credited with the share of its tiles that its time inside the window makes up, so raw sessions
/// and the engine are counted exactly alike and a slice needs neither a drain nor whole runs, however short it is.
/// </summary>
internal sealed class Window(TimeSpan length)
{
    private readonly Lock gate = new();
    private double tiles;

    public long Start { get; } = Stopwatch.GetTimestamp();

    public long End => Start + (long)(length.TotalSeconds * Stopwatch.Frequency);

    public double Tiles => tiles;

    public TimeSpan Length => length;

    public double TilesPerSecond => tiles / length.TotalSeconds;

    public bool IsOver(long timestamp) => timestamp >= End;

    public void Credit(long runStart, long runEnd, int runTiles)
    {
        var inside = Math.Min(runEnd, End) - Math.Max(runStart, Start);
        if (inside > 0)
        {
            lock (gate)
            {
                tiles += runTiles * (double)inside / (runEnd - runStart);
            }
        }
    }
}

/// <summary>Tiles per second over many windows.</summary>
internal sealed class Throughput
{
    private double tiles;
    private double seconds;

    public double PerSecond => tiles / seconds;

    public void Add(Window window)
    {
        tiles += window.Tiles;
        seconds += window.Length.TotalSeconds;
    }
}
