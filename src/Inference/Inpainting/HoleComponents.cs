using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>Splits a hole into its 8-connected components and measures how deep each one is.</summary>
internal static class HoleComponents
{
    private const int Outside = -1;

    /// <summary>
    /// Writes each pixel's component index into <paramref name="labels"/> (-1 for known pixels) and returns the
    /// components in raster order of their first pixel, so by increasing <see cref="Rectangle.Top"/>.
    /// </summary>
    public static List<HoleComponent> Label(ReadOnlySpan<bool> hole, int width, int height, Span<int> labels)
    {
        var pixels = width * height;
        var depth = PlaneArrays.Rent<int>(pixels);
        var stack = PlaneArrays.Rent<int>(pixels);
        try
        {
            Depths(hole, width, height, depth);
            labels[..pixels].Fill(Outside);
            var components = new List<HoleComponent>();
            for (var start = 0; start < pixels; start++)
            {
                if (hole[start] && labels[start] == Outside)
                {
                    components.Add(Flood(hole, width, height, labels, depth, stack, start, components.Count));
                }
            }

            return components;
        }
        finally
        {
            PlaneArrays.Return(depth);
            PlaneArrays.Return(stack);
        }
    }

    /// <summary>Chessboard distance to the nearest known pixel, in two passes; pixels past the image edge are not known.</summary>
    private static void Depths(ReadOnlySpan<bool> hole, int width, int height, int[] depth)
    {
        var far = width + height;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = y * width + x;
                depth[at] = !hole[at] ? 0 : Math.Min(far, 1 + Math.Min(
                    Math.Min(At(depth, x - 1, y, width, height, far), At(depth, x - 1, y - 1, width, height, far)),
                    Math.Min(At(depth, x, y - 1, width, height, far), At(depth, x + 1, y - 1, width, height, far))));
            }
        }

        for (var y = height - 1; y >= 0; y--)
        {
            for (var x = width - 1; x >= 0; x--)
            {
                var at = y * width + x;
                depth[at] = Math.Min(depth[at], 1 + Math.Min(
                    Math.Min(At(depth, x + 1, y, width, height, far), At(depth, x + 1, y + 1, width, height, far)),
                    Math.Min(At(depth, x, y + 1, width, height, far), At(depth, x - 1, y + 1, width, height, far))));
            }
        }
    }

    private static int At(int[] depth, int x, int y, int width, int height, int far) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? depth[y * width + x] : far;

    private static HoleComponent Flood(ReadOnlySpan<bool> hole, int width, int height, Span<int> labels, int[] depth, int[] stack, int start, int label)
    {
        int minX = width, minY = height, maxX = -1, maxY = -1, deepest = 0, count = 0;
        labels[start] = label;
        stack[count++] = start;
        while (count > 0)
        {
            var at = stack[--count];
            var (x, y) = (at % width, at / width);
            (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
            deepest = Math.Max(deepest, depth[at]);
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var (nx, ny) = (x + dx, y + dy);
                    if ((uint)nx < (uint)width && (uint)ny < (uint)height)
                    {
                        var next = ny * width + nx;
                        if (hole[next] && labels[next] == Outside)
                        {
                            labels[next] = label;
                            stack[count++] = next;
                        }
                    }
                }
            }
        }

        return new HoleComponent(Rectangle.FromLTRB(minX, minY, maxX + 1, maxY + 1), deepest);
    }
}
