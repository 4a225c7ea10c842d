using System.Globalization;

namespace LiteRestore.LoadTest.Images;

/// <summary>Width and height in pixels, written <c>WIDTHxHEIGHT</c> on the command line.</summary>
internal readonly record struct ImageSize(int Width, int Height)
{
    public static bool TryParse(string text, out ImageSize size)
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width) && width > 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height) && height > 0)
        {
            size = new ImageSize(width, height);
            return true;
        }

        size = default;
        return false;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
}
