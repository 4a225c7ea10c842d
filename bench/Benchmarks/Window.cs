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
    private readonly long start = Stopwatch.GetTimestamp();
    private double tiles;

    private long End => start + (long)(length.TotalSeconds * Stopwatch.Frequency);

    public double Tiles => tiles;

    public TimeSpan Length => length;

    public double TilesPerSecond => tiles / length.TotalSeconds;

    public bool IsOver(long timestamp) => timestamp >= End;

    public void Credit(long runStart, long runEnd, int runTiles)
    {
        var inside = Math.Min(runEnd, End) - Math.Max(runStart, start);
        if (inside > 0)
        {
            lock (gate)
            {
                tiles += runTiles * (double)inside / (runEnd - runStart);
            }
        }
    }
}
