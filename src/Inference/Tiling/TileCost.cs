using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// Seconds one session takes per input pixel of a tile, against the tile's pixels, from the costs measured at a few
/// sizes (<see cref="TileCostTable"/>) and interpolated linearly between them. Per pixel, wide layers cost the same at
/// any size, but narrow ones that stream through memory slow down once a tile's activations no longer fit the cache:
/// denoise-lightweight took 1.34 µs a pixel in 128 px tiles and 1.92 µs in 256 px ones. No tile is sized beyond the
/// largest measured, where the cost is not known.
/// </summary>
internal sealed class TileCost
{
    private readonly (long Pixels, double SecondsPerPixel)[] points;

    public TileCost(IEnumerable<(long Pixels, double SecondsPerPixel)> measured)
    {
        points = measured.OrderBy(point => point.Pixels).ToArray();
        if (points.Length == 0 || points.Any(point => point.Pixels <= 0 || !(point.SecondsPerPixel > 0)))
        {
            throw new ArgumentException("A tile cost needs at least one size, each of positive pixels and cost.", nameof(measured));
        }
    }

    /// <summary>The same cost per pixel at every size, with no largest size.</summary>
    public static TileCost Uniform { get; } = new([(long.MaxValue, 1)]);

    /// <summary>The largest tile measured, in pixels.</summary>
    public long LargestPixels => points[^1].Pixels;

    public static TileCost From(TileCostCurve curve) =>
        new(curve.Points.Select(point => ((long)point.Side * point.Side, point.MicrosecondsPerPixel / 1e6)));

    /// <summary>The cost per pixel of a tile of <paramref name="pixels"/>: the smallest size's below it, the largest's above.</summary>
    public double SecondsPerPixel(long pixels)
    {
        if (pixels <= points[0].Pixels)
        {
            return points[0].SecondsPerPixel;
        }

        for (var i = 1; i < points.Length; i++)
        {
            if (pixels <= points[i].Pixels)
            {
                var (from, to) = (points[i - 1], points[i]);
                var along = (double)(pixels - from.Pixels) / (to.Pixels - from.Pixels);
                return from.SecondsPerPixel + along * (to.SecondsPerPixel - from.SecondsPerPixel);
            }
        }

        return points[^1].SecondsPerPixel;
    }
}
