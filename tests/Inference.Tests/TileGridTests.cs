namespace LiteRestore.Inference.Tests;

public sealed class TileGridTests
{
    [Theory]
    [InlineData(-1, 5, 1)]
    [InlineData(-2, 5, 2)]
    [InlineData(5, 5, 3)]
    [InlineData(6, 5, 2)]
    [InlineData(9, 5, 1)]
    [InlineData(-9, 5, 1)]
    [InlineData(4, 1, 0)]
    [InlineData(-3, 1, 0)]
    [InlineData(3, 2, 1)]
    public void ReflectMirrorsWithoutRepeatingTheEdge(int index, int length, int expected) =>
        Assert.Equal(expected, Reflect.Index(index, length));

    [Theory]
    [InlineData(16, 4, 1)]
    [InlineData(16, 4, 4)]
    [InlineData(32, 8, 1)]
    [InlineData(33, 9, 1)]
    [InlineData(8, 0, 1)]
    [InlineData(8, 1, 2)]
    [InlineData(64, 30, 1)]
    public void EveryPixelGetsWeightFromSomeTile(int size, int overlap, int scale)
    {
        var feather = FeatherWindow.Create(size, overlap, scale);
        foreach (var length in Enumerable.Range(1, 3 * size))
        {
            var grid = new TileGrid(length, size, overlap);
            var weight = new float[length * scale];
            foreach (var start in grid.Starts)
            {
                for (var i = 0; i < size * scale; i++)
                {
                    var at = start * scale + i;
                    if (at >= 0 && at < weight.Length)
                    {
                        weight[at] += feather[i];
                    }
                }
            }

            Assert.All(weight, w => Assert.True(w > 0, $"length {length}: a pixel has no weight"));
            Assert.Equal(-grid.Margin, grid.Starts[0]);
        }
    }

    [Fact]
    public void WeightIsZeroOnlyInTheOuterQuarterOfTheOverlap()
    {
        var feather = FeatherWindow.Create(32, 8, 1);

        Assert.Equal([0f, 0f], feather[..2]);
        Assert.True(feather[2] > 0);
        Assert.Equal(1f, feather[16]);
        Assert.Equal([0f, 0f], feather[^2..]);
    }
}
