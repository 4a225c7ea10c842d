using LiteRestore.LoadTest.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.LoadTest.Tests;

public sealed class ImageTests
{
    private static readonly ImageSize Size = new(40, 24);

    [Fact]
    public void GeneratedImagesAreDeterministicTexturedPngsOfTheAskedSize()
    {
        var first = SyntheticImages.Create(Size, withMask: false);
        var again = SyntheticImages.Create(Size, withMask: false);

        Assert.Equal(first.Content, again.Content);
        Assert.Equal(("synthetic-40x24.png", 40, 24, "image/png"), (first.Name, first.Width, first.Height, first.MediaType));
        Assert.Null(first.Mask);
        using var image = Image.Load<Rgb24>(first.Content);
        Assert.Equal((40, 24), (image.Width, image.Height));
        Assert.True(image[0, 0] != image[39, 23], "a gradient runs across the image");
        Assert.NotEqual(SyntheticImages.Create(new ImageSize(40, 25), withMask: false).Content, first.Content);
    }

    [Fact]
    public void TheMaskIsAWhiteCentredHoleAQuarterOfEachSide()
    {
        var withMask = SyntheticImages.Create(Size, withMask: true);

        using var mask = Image.Load<L8>(withMask.Mask!);
        Assert.Equal((40, 24), (mask.Width, mask.Height));
        var hole = new List<(int X, int Y)>();
        for (var y = 0; y < mask.Height; y++)
        {
            for (var x = 0; x < mask.Width; x++)
            {
                if (mask[x, y].PackedValue == byte.MaxValue)
                {
                    hole.Add((x, y));
                }
                else
                {
                    Assert.Equal(0, mask[x, y].PackedValue);
                }
            }
        }

        Assert.Equal(10 * 6, hole.Count);
        Assert.Equal((15, 9), hole.Min());
        Assert.Equal((24, 14), hole.Max());
    }

    [Fact]
    public void AFileIsSentAsItIsWithTheSizeAndTypeReadFromItsHeader()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("literestore-images-").FullName, "photo.jpg");
        try
        {
            using (var image = new Image<Rgb24>(30, 20))
            {
                image.SaveAsJpeg(path);
            }

            var loaded = ImageFiles.Load(path, withMask: true);

            Assert.Equal(("photo.jpg", 30, 20, "image/jpeg"), (loaded.Name, loaded.Width, loaded.Height, loaded.MediaType));
            Assert.Equal(File.ReadAllBytes(path), loaded.Content);
            using var mask = Image.Load<L8>(loaded.Mask!);
            Assert.Equal((30, 20), (mask.Width, mask.Height));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("128x96", 128, 96)]
    [InlineData(" 64 x 32 ", 64, 32)]
    public void SizesAreWidthXHeight(string text, int width, int height)
    {
        Assert.True(ImageSize.TryParse(text, out var size));
        Assert.Equal(new ImageSize(width, height), size);
    }

    [Theory]
    [InlineData("128")]
    [InlineData("0x5")]
    [InlineData("-4x4")]
    [InlineData("4x4x4")]
    public void OtherSizesAreRefused(string text)
    {
        Assert.False(ImageSize.TryParse(text, out _));
    }
}
