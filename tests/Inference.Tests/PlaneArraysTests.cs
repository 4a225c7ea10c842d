namespace LiteRestore.Inference.Tests;

public sealed class PlaneArraysTests
{
    [Fact]
    public void AnImageSizedPlaneIsAllocatedAtItsSizeAndNotKeptByThePool()
    {
        var length = (PlaneArrays.MaxPooledLength * 3) + 5;

        var plane = PlaneArrays.Rent<float>(length);
        PlaneArrays.Return(plane);
        var next = PlaneArrays.Rent<float>(length);

        Assert.Equal(length, plane.Length);  // the shared pool would round it up to a power of two
        Assert.NotSame(plane, next);
    }

    [Fact]
    public void ASmallArrayComesBackFromThePool()
    {
        var small = PlaneArrays.Rent<int>(1000);
        PlaneArrays.Return(small);

        Assert.Same(small, PlaneArrays.Rent<int>(1000));
    }
}
