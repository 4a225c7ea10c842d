namespace LiteRestore.Inference;

/// <summary>
/// How long one session takes per input pixel at the native tile and at a larger probe tile, as warm-up measured it.
/// Per pixel, the networks' wide layers cost the same at any size, but narrow ones that stream through memory slow
/// down once a tile's activations no longer fit the cache: denoise-lightweight took about 0.72 µs a pixel in 128 px
/// tiles and 1.2 µs in 536 px ones on one core here. In between, the cost is taken to grow linearly with the pixels;
/// beyond the probe, to stay as it was there.
/// </summary>
internal sealed record TileSpeed(long NativePixels, double NativeSecondsPerPixel, long ProbePixels, double ProbeSecondsPerPixel)
{
    /// <summary>The same cost per pixel at every size.</summary>
    public static TileSpeed Uniform { get; } = new(1, 1, 1, 1);

    public double SecondsPerPixel(long pixels)
    {
        if (pixels <= NativePixels || ProbePixels <= NativePixels)
        {
            return NativeSecondsPerPixel;
        }

        var along = Math.Min(1, (pixels - NativePixels) / (double)(ProbePixels - NativePixels));
        return NativeSecondsPerPixel + (along * (ProbeSecondsPerPixel - NativeSecondsPerPixel));
    }
}
