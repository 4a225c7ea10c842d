using System.Diagnostics;

namespace LiteRestore.Inference;

/// <summary>Times one session on its native tile and on a larger probe tile, for <see cref="TileSizing"/>.</summary>
internal static class TileSpeedProbe
{
    /// <summary>
    /// Rounds of one run of each size; the fastest of each counts, since on a shared machine anything else only adds
    /// others' load. The two sizes take turns, so that a change in that load falls on both.
    /// </summary>
    private const int Rounds = 3;

    /// <summary>Each run is bounded by <paramref name="runTimeout"/>.</summary>
    public static TileSpeed Measure(PinnedSession session, TileShape probe, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        using var tiles = new SizedTiles(probe, batch: 1);
        tiles.InputTile(0).Clear();
        session.ClearInput(1);
        double native = double.MaxValue, large = double.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            native = Math.Min(native, Seconds(token => session.Run(1, token), runTimeout, cancellationToken));
            large = Math.Min(large, Seconds(token => session.Run(tiles, token), runTimeout, cancellationToken));
        }

        return new TileSpeed(session.Shape.Pixels, native / session.Shape.Pixels, probe.Pixels, large / probe.Pixels);
    }

    private static double Seconds(Action<CancellationToken> run, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(runTimeout);
        var started = Stopwatch.GetTimestamp();
        run(limit.Token);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
