using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>
/// The tile shape each request runs in. Sessions that batch (CUDA) need one shape, the model's native tile. CPU sessions
/// run any height and width, so there each request gets tiles that just cover it: along each axis, <c>n</c> equal tiles
/// overlapping by the card's overlap, with <c>n</c> chosen on both axes so that the request, run alone, finishes
/// soonest on the model's sessions (rounds of tiles times a tile's time at its measured <see cref="TileCost"/>), and
/// each tile stays within the working memory a run may take and the sizes that were measured. Fewer, larger tiles compute fewer pixels twice: a 1024²
/// image in 128 px tiles overlapping by 24 computes 1.56 times its pixels, in four 536 px tiles 1.10 times; but a
/// network that slows down per pixel in large tiles keeps small ones.
/// </summary>
internal sealed class TileSizing
{
    private readonly int overlap;
    private readonly long? maxTilePixels;
    private readonly long runBytesPerPixel;
    private readonly TileCost cost;
    private readonly int sessions;
    private readonly int shortestSide;

    private TileSizing(TileShape native, int overlap, long? maxTilePixels, long runBytesPerPixel, TileCost cost, int sessions)
    {
        Native = native;
        this.overlap = overlap;
        this.maxTilePixels = maxTilePixels;
        this.runBytesPerPixel = runBytesPerPixel;
        this.cost = cost;
        this.sessions = sessions;
        // Tiles much smaller than the native one only pay for images that small; they would not fit the overlap.
        shortestSide = Math.Max(2 * overlap + 1, native.Width / 2);
    }

    public TileShape Native { get; }

    /// <summary>The largest tile a request may get, in input pixels; null where every request runs native tiles.</summary>
    public long? MaxTilePixels => maxTilePixels;

    /// <summary>Every request runs in native tiles.</summary>
    public static TileSizing Fixed(TileShape native, int overlap) =>
        new(native, overlap, maxTilePixels: null, runBytesPerPixel: 0, TileCost.Uniform, sessions: 1);

    /// <summary>
    /// How the requests of a model on <paramref name="sessions"/> run: sized per request where its sessions are CPU
    /// sessions whose graph takes any size, <paramref name="tileMegabytes"/> is positive, warm-up measured the working
    /// memory of a native tile (<paramref name="nativeWorkingBytes"/>) and the model's tile costs were measured
    /// (<paramref name="cost"/>); otherwise in native tiles.
    /// </summary>
    public static TileSizing For(ModelSessions sessions, ModelCard card, int tileMegabytes, long? nativeWorkingBytes, TileCost? cost)
    {
        var native = sessions.Primary.Sessions[0].Shape;
        if (!CanSize(sessions, card) || tileMegabytes <= 0 || nativeWorkingBytes is not > 0 || cost is null)
        {
            return Fixed(native, card.Tile.Overlap);
        }

        var perPixel = Math.Max(1, nativeWorkingBytes.Value / native.Pixels);
        var maxPixels = Math.Min(tileMegabytes * 1024L * 1024 / perPixel, cost.LargestPixels);
        return PerRequest(native, card.Tile.Overlap, maxPixels, perPixel, cost, sessions.Primary.Sessions.Count);
    }

    /// <summary>Whether the model's sessions run tiles of any shape: CPU sessions of a graph that takes any size, not inpainting's window.</summary>
    public static bool CanSize(ModelSessions sessions, ModelCard card) =>
        sessions.Primary.Provider == SessionFactory.CpuProvider && sessions.TakesAnySize && card.Task != RestorationTask.Inpaint;

    /// <summary>
    /// Tiles sized per request, of at most <paramref name="maxTilePixels"/> input pixels (never less than the native
    /// tile's), for <paramref name="sessions"/> sessions, each pixel of a run taking <paramref name="runBytesPerPixel"/>
    /// and costing <paramref name="cost"/>.
    /// </summary>
    public static TileSizing PerRequest(TileShape native, int overlap, long maxTilePixels, long runBytesPerPixel, TileCost cost, int sessions) =>
        new(native, overlap, Math.Max(maxTilePixels, native.Pixels), runBytesPerPixel, cost, sessions);

    /// <summary>
    /// Working memory a run of one tile of <paramref name="shape"/> takes beyond what its session's arena kept from
    /// warm-up, as warm-up measured it per pixel: none for a tile no larger than the native one.
    /// </summary>
    public long RunBytes(TileShape shape) => shape.Pixels > Native.Pixels ? shape.Pixels * runBytesPerPixel : 0;

    /// <summary>The tile shape for an image of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public TileShape For(int width, int height)
    {
        if (maxTilePixels is not { } budget)
        {
            return Native;
        }

        var columns = AxisTiles(width);
        var rows = AxisTiles(height);
        (double Seconds, long Computed, int Width, int Height)? best = null;
        foreach (var (across, tileWidth) in columns)
        {
            foreach (var (down, tileHeight) in rows)
            {
                var pixels = (long)tileWidth * tileHeight;
                if (pixels > budget)
                {
                    continue;
                }

                var tiles = across * down;
                var rounds = (tiles + sessions - 1) / sessions;
                var candidate = (rounds * pixels * cost.SecondsPerPixel(pixels), tiles * pixels, tileWidth, tileHeight);
                if (best is null || candidate.CompareTo(best.Value) < 0)
                {
                    best = candidate;
                }
            }
        }

        return best is { } chosen ? Native with { Width = chosen.Width, Height = chosen.Height } : Native;
    }

    /// <summary>Native tiles of work that one tile of <paramref name="shape"/> stands for in the queue's counts (at least 1).</summary>
    public int WorkOf(TileShape shape) => (int)Math.Max(1, (shape.Pixels + Native.Pixels - 1) / Native.Pixels);

    /// <summary>
    /// For each count of tiles along an axis of <paramref name="length"/>, the length of equal tiles that cover it
    /// padded by half the overlap at each end (<see cref="TileGrid"/>).
    /// </summary>
    private List<(int Count, int Length)> AxisTiles(int length)
    {
        var padded = length + (2 * (overlap / 2));
        var lengths = new List<(int, int)> { (1, padded) };
        for (var count = 2; ; count++)
        {
            var tile = (padded + ((count - 1) * overlap) + count - 1) / count;
            if (tile < shortestSide)
            {
                return lengths;
            }

            lengths.Add((count, tile));
        }
    }
}
