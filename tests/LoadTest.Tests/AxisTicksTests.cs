using LiteRestore.LoadTest.Reports;

namespace LiteRestore.LoadTest.Tests;

public sealed class AxisTicksTests
{
    [Theory]
    [InlineData(97, 5, new double[] { 0, 20, 40, 60, 80, 100 })]
    [InlineData(0.7, 6, new double[] { 0, 0.2, 0.4, 0.6, 0.8 })]
    [InlineData(250, 5, new double[] { 0, 50, 100, 150, 200, 250 })]
    [InlineData(0, 5, new double[] { 0, 1 })]
    public void TicksAreRoundStepsFromZeroPastTheLargestValue(double max, int target, double[] expected)
    {
        Assert.Equal(expected, AxisTicks.From0To(max, target), (a, b) => Math.Abs(a - b) < 1e-9);
    }
}
