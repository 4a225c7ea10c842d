using SixLabors.ImageSharp;

namespace LiteRestore.LoadTest.Images;

/// <summary>Uploads read from disk as they are; only their header is read, for the size the throughput is counted in.</summary>
internal static class ImageFiles
{
    public static TestImage Load(string path, bool withMask)
    {
        var content = File.ReadAllBytes(path);
        var info = Image.Identify(content, out var format)
            ?? throw new InvalidDataException($"{path} is not an image this tool can read the size of.");
        return new TestImage(
            Path.GetFileName(path),
            info.Width,
            info.Height,
            content,
            format.DefaultMimeType,
            withMask ? HoleMask.Png(info.Width, info.Height) : null);
    }
}
