using System.Diagnostics;

namespace LiteRestore.Inference;

/// <summary>Times one session on its native tile and on a larger probe tile, for <see cref="TileSizing"/>.</summary>
internal static class TileSpeedProbe
{
    /// <summary>Runs of each size; the fastest counts, since on a shared machine anything else only adds others' load.</summary>
    private const int Runs = 3;

    /// <summary>Each run is bounded by <paramref name="runTimeout"/>.</summary>
    public static TileSpeed Measure(PinnedSession session, TileShape probe, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        using var tiles = new SizedTiles(probe, batch: 1);
        tiles.InputTile(0).Clear();
        session.ClearInput(1);
        var native = Fastest(token => session.Run(1, token), runTimeout, cancellationToken);
        var large = Fastest(token => session.Run(tiles, token), runTimeout, cancellationToken);
        return new TileSpeed(session.Shape.Pixels, native / session.Shape.Pixels, probe.Pixels, large / probe.Pixels);
    }

    private static double Fastest(Action<CancellationToken> run, TimeSpan runTimeout, CancellationToken cancellationToken)
    {
        var fastest = double.MaxValue;
        for (var i = 0; i < Runs; i++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(runTimeout);
            var started = Stopwatch.GetTimestamp();
            run(limit.Token);
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        return fastest;
    }
}
