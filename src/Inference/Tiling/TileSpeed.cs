namespace LiteRestore.Inference;

/// <summary>
/// How long one session takes per input pixel at the native tile and at a larger probe tile, as warm-up measured it.
/// Per pixel, the networks' wide layers cost the same at any size, but narrow ones that stream through memory slow
/// down once a tile's activations no longer fit the cache, and they do so right above the native size: on a quiet
/// machine here denoise-lightweight took 1.34 µs a pixel in 128 px tiles and 1.92 µs in 256 px ones, and in the
/// 152 px tiles that a cost growing linearly in between made it choose, a whole image ran 0.77x as fast as in native
/// ones. So a tile costs the native rate up to the native size, and the probe's rate above it.
/// </summary>
internal sealed record TileSpeed(long NativePixels, double NativeSecondsPerPixel, long ProbePixels, double ProbeSecondsPerPixel)
{
    /// <summary>The same cost per pixel at every size.</summary>
    public static TileSpeed Uniform { get; } = new(1, 1, 1, 1);

    public double SecondsPerPixel(long pixels) => pixels <= NativePixels ? NativeSecondsPerPixel : ProbeSecondsPerPixel;
}
