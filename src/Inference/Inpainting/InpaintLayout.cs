using LiteRestore.Contracts;
using SixLabors.ImageSharp;

namespace LiteRestore.Inference.Inpainting;

/// <summary>
/// Decides the windows that fill a hole. Holes stay at the image's resolution wherever the network can reach
/// across them: a window around each hole, or around a group of nearby small ones, with the card's context margin,
/// and a grid of working-size tiles along a hole too long for one window. Only a hole deeper than the context margin
/// (further than that from any known pixel) is scaled down, by the smallest factor that brings it within the margin,
/// or that fits it into one window if that is smaller. Thin strokes are never resampled.
/// </summary>
internal static class InpaintLayout
{
    /// <summary>
    /// The windows for <paramref name="components"/>; rewrites <paramref name="labels"/> from component indices into
    /// the owner that each window fills.
    /// </summary>
    public static List<InpaintWindow> Plan(List<HoleComponent> components, Span<int> labels, Size image, TileSpec tile)
    {
        var owners = new int[components.Count];
        var windows = new List<InpaintWindow>();
        var open = new List<HoleGroup>();
        var shared = new List<HoleGroup>();
        var nextOwner = 0;
        var reach = tile.Size - 2 * tile.ContextMargin;
        for (var i = 0; i < components.Count; i++)
        {
            var (bounds, depth) = components[i];
            var longest = Math.Max(bounds.Width, bounds.Height);
            if (depth <= tile.ContextMargin && longest <= reach)
            {
                owners[i] = Join(open, shared, bounds, reach, ref nextOwner);
                continue;
            }

            var owner = owners[i] = nextOwner++;
            var withMargin = Math.Max(tile.Size, longest + 2 * tile.ContextMargin);
            var withinMargin = (int)Math.Ceiling((double)tile.Size * depth / tile.ContextMargin);
            if (depth > tile.ContextMargin && withMargin <= withinMargin)
            {
                windows.Add(Centred(owner, bounds, withMargin, image));
                continue;
            }

            var side = Math.Max(tile.Size, withinMargin);
            var margin = tile.ContextMargin * side / tile.Size;
            foreach (var core in Cores(labels, image.Width, i, bounds, side - 2 * margin))
            {
                windows.Add(new InpaintWindow(owner, core.Left - margin, core.Top - margin, side, core));
            }
        }

        windows.AddRange(shared.Select(group => Centred(group.Owner, group.Bounds, tile.Size, image)));
        Relabel(labels, owners);
        return windows;
    }

    /// <summary>Rewrites each hole pixel's component index into the owner of the window that fills it.</summary>
    private static void Relabel(Span<int> labels, int[] owners)
    {
        for (var at = 0; at < labels.Length; at++)
        {
            if (labels[at] >= 0)
            {
                labels[at] = owners[labels[at]];
            }
        }
    }

    /// <summary>
    /// Puts a small hole into the first open group that still fits one window with it, or into a new group. Components
    /// come by increasing top, so a group whose top is a whole reach above this one can take no later hole either.
    /// </summary>
    private static int Join(List<HoleGroup> open, List<HoleGroup> shared, Rectangle bounds, int reach, ref int nextOwner)
    {
        open.RemoveAll(g => bounds.Top - g.Bounds.Top >= reach);
        foreach (var group in open)
        {
            var union = Rectangle.Union(group.Bounds, bounds);
            if (Math.Max(union.Width, union.Height) <= reach)
            {
                group.Bounds = union;
                return group.Owner;
            }
        }

        var created = new HoleGroup(nextOwner++, bounds);
        shared.Add(created);
        open.Add(created);
        return created.Owner;
    }

    /// <summary>One window of <paramref name="side"/> pixels centred on the hole, kept inside the image where the image is large enough.</summary>
    private static InpaintWindow Centred(int owner, Rectangle bounds, int side, Size image)
    {
        var left = Place(bounds.Left, bounds.Right, image.Width, side);
        var top = Place(bounds.Top, bounds.Bottom, image.Height, side);
        return new InpaintWindow(owner, left, top, side, bounds);
    }

    private static int Place(int start, int end, int length, int side)
    {
        var centred = (start + end) / 2 - side / 2;
        return length >= side ? Math.Clamp(centred, 0, length - side) : (length - side) / 2;
    }

    /// <summary>
    /// Squares of <paramref name="core"/> pixels that tile the hole's bounds edge to edge, less those that hold none of
    /// its pixels (beside a diagonal stroke).
    /// </summary>
    private static List<Rectangle> Cores(ReadOnlySpan<int> labels, int width, int component, Rectangle bounds, int core)
    {
        var cores = new List<Rectangle>();
        for (var top = bounds.Top; top < bounds.Bottom; top += core)
        {
            for (var left = bounds.Left; left < bounds.Right; left += core)
            {
                var cell = Rectangle.Intersect(bounds, new Rectangle(left, top, core, core));
                if (Holds(labels, width, component, cell))
                {
                    cores.Add(cell);
                }
            }
        }

        return cores;
    }

    private static bool Holds(ReadOnlySpan<int> labels, int width, int component, Rectangle cell)
    {
        for (var y = cell.Top; y < cell.Bottom; y++)
        {
            if (labels.Slice(y * width + cell.Left, cell.Width).Contains(component))
            {
                return true;
            }
        }

        return false;
    }
}
