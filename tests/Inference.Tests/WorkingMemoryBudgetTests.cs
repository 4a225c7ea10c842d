using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Options;

namespace LiteRestore.Inference.Tests;

public sealed class WorkingMemoryBudgetTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public void ARequestThatDoesNotFitIsRejectedAtOnceUntilTheMemoryIsGivenBack()
    {
        var budget = Budget(megabytes: 10);
        using var first = budget.Reserve(6 * Megabyte);

        var rejected = Assert.Throws<MemoryBudgetFullException>(() => budget.Reserve(6 * Megabyte));

        Assert.Equal(ErrorCodes.Overloaded, rejected.Code);
        Assert.NotNull(rejected.RetryAfter);
        Assert.Contains("4 MB of the 10 MB", rejected.Message, StringComparison.Ordinal);
        first.Dispose();
        using var second = budget.Reserve(6 * Megabyte);
        Assert.Equal(6 * Megabyte, budget.Reserved);
    }

    [Fact]
    public void ARequestLargerThanTheWholeBudgetIsServedWhenNoOtherHoldsAny()
    {
        var budget = Budget(megabytes: 10);

        using (budget.Reserve(20 * Megabyte))
        {
            Assert.Throws<MemoryBudgetFullException>(() => budget.Reserve(1));
        }

        using var small = budget.Reserve(Megabyte);
        Assert.Throws<MemoryBudgetFullException>(() => budget.Reserve(20 * Megabyte));
    }

    [Fact]
    public void AReservationDisposedTwiceGivesItsMemoryBackOnce()
    {
        var budget = Budget(megabytes: 10);
        using var kept = budget.Reserve(Megabyte);
        var released = budget.Reserve(2 * Megabyte);

        released.Dispose();
        released.Dispose();

        Assert.Equal(Megabyte, budget.Reserved);
    }

    [Fact]
    public void UnsetTheBudgetIsAShareOfTheMemoryTheRuntimeMayUseLessTheRoomForTileRuns()
    {
        var options = Options.Create(new InferenceOptions { CpuTileMegabytes = 256 });
        var runMemory = new TileRunMemory(options);
        var budget = new WorkingMemoryBudget(options, runMemory);

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.True(runMemory.Capacity > 0);
        Assert.Equal((long)(available * WorkingMemoryBudget.DefaultShareOfAvailableMemory) - runMemory.Capacity, budget.Capacity);
    }

    [Fact]
    public void TheEstimateGrowsWithTheOutputThatSuperResolutionWrites()
    {
        var photo = new ImageDimensions(1024, 768);

        var denoise = WorkingMemoryEstimate.Bytes(RestorationTask.Denoise, photo, scale: 1);
        var enlarge = WorkingMemoryEstimate.Bytes(RestorationTask.SuperResolve, photo, scale: 4);

        // at least the 16-bit RGBA result itself: 8 bytes a pixel
        Assert.True(denoise > photo.Pixels * 8 * 2);
        Assert.True(enlarge > 8 * denoise, $"{enlarge} against {denoise}");
    }

    private static WorkingMemoryBudget Budget(int megabytes)
    {
        var options = Options.Create(new InferenceOptions { MemoryBudgetMegabytes = megabytes });
        return new(options, new TileRunMemory(options));
    }
}
