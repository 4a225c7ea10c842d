using System.Runtime.InteropServices;
using LiteRestore.Inference.Tests.Infrastructure;

namespace LiteRestore.Inference.Tests;

/// <summary>Reads the process's resident memory, so it runs alone (<see cref="ResidentMemoryTests"/>).</summary>
[Collection(ResidentMemoryTests.Name)]
public sealed class NativeHeapTests
{
    private const int Megabyte = 1024 * 1024;
    private const int Blocks = 64;
    private const int Rounds = 3;
    private const int SmallBlockBytes = 256;

    /// <summary>Most of the 256 MB freed that may stay resident.</summary>
    private const long ResidentAfterwardsBytes = 48L * Megabyte;

    [Fact]
    public void LargeBlocksOfManySizesGoBackToTheSystemWhenFreed()
    {
        Assert.True(NativeHeap.SetMmapThreshold(Megabyte));
        var before = ResidentBytes();

        // rounds of blocks of different sizes, as runs of tiles of different shapes ask for, each followed by a small
        // allocation that outlives it, as the runtime's own do: glibc's own threshold would rise to the largest block
        // freed in the first round, serve the later rounds from its heap and, with the small blocks above them, keep
        // them there
        var survivors = new List<IntPtr>();
        for (var round = 0; round < Rounds; round++)
        {
            var blocks = new List<IntPtr>();
            for (var i = 0; i < Blocks; i++)
            {
                blocks.Add(Touched((Megabyte * 2) + (i * Megabyte / 8) + (round * Megabyte / 32)));
                survivors.Add(Touched(SmallBlockBytes));
            }

            blocks.ForEach(Marshal.FreeHGlobal);
        }

        var residentAfterwards = ResidentBytes() - before;
        survivors.ForEach(Marshal.FreeHGlobal);
        Assert.InRange(residentAfterwards, long.MinValue, ResidentAfterwardsBytes);
    }

    private static IntPtr Touched(int bytes)
    {
        var block = Marshal.AllocHGlobal(bytes);
        for (var offset = 0; offset < bytes; offset += Environment.SystemPageSize)
        {
            Marshal.WriteByte(block, offset, 1);
        }

        return block;
    }

    private static long ResidentBytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
