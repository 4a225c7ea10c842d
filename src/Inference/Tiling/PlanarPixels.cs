using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference;

/// <summary>Rgba64 rows to planar RGB floats in [0,1] and back, row by row, with no allocation per pixel.</summary>
internal static class PlanarPixels
{
    private const float Levels = ushort.MaxValue;

    /// <summary>
    /// Writes the image's RGB into three planes of width·height floats at the start of <paramref name="planes"/>;
    /// returns whether every pixel is opaque.
    /// </summary>
    public static bool Read(Image<Rgba64> image, float[] planes)
    {
        var width = image.Width;
        var plane = width * image.Height;
        var opaque = true;
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var r = planes.AsSpan(y * width, width);
                var g = planes.AsSpan(plane + y * width, width);
                var b = planes.AsSpan(2 * plane + y * width, width);
                for (var x = 0; x < row.Length; x++)
                {
                    r[x] = ToFloat(row[x].R);
                    g[x] = ToFloat(row[x].G);
                    b[x] = ToFloat(row[x].B);
                    opaque &= row[x].A == ushort.MaxValue;
                }
            }
        });
        return opaque;
    }

    /// <summary>Converts a value in [0,1] (clamped) to the nearest 16-bit level.</summary>
    public static ushort ToLevel(float value) => (ushort)(Math.Clamp(value, 0f, 1f) * Levels + 0.5f);

    public static float ToFloat(ushort level) => level / Levels;
}
