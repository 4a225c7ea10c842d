using LiteRestore.Contracts;
using LiteRestore.Inference.Admission;
using LiteRestore.Inference.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Inference.Tests;

public sealed class IdleMemoryTrimmerTests
{
    private static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Look = IdleFor / 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MemoryIsTrimmedOncePerQuietSpellAndNeverWhileARequestHoldsSome()
    {
        var options = Options.Create(new InferenceOptions { TrimMemoryWhenIdleFor = IdleFor });
        var budget = new WorkingMemoryBudget(options, new TileRunMemory(options));
        var codec = new CountingCodec();
        var clock = new FakeTimeProvider();
        using var trimmer = new IdleMemoryTrimmer(budget, codec, options, clock, NullLogger<IdleMemoryTrimmer>.Instance);
        await trimmer.StartAsync(CancellationToken.None);

        var held = budget.Reserve(1024);
        await LookAsync(clock, times: 8);
        Assert.Equal(0, codec.Releases);

        held.Dispose();
        await LookAsync(clock, times: 5);
        Assert.True(await Poll.UntilAsync(() => codec.Releases == 1, Deadline));
        await LookAsync(clock, times: 8);
        Assert.Equal(1, codec.Releases);

        budget.Reserve(1024).Dispose();
        await LookAsync(clock, times: 5);
        Assert.True(await Poll.UntilAsync(() => codec.Releases == 2, Deadline));
        await trimmer.StopAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock one look at a time, letting the trimmer see each.</summary>
    private static async Task LookAsync(FakeTimeProvider clock, int times)
    {
        for (var i = 0; i < times; i++)
        {
            clock.Advance(Look);
            await Task.Delay(20);
        }
    }

    private sealed class CountingCodec : IImageCodec
    {
        private int releases;

        public int Releases => Volatile.Read(ref releases);

        public void ReleaseRetainedMemory() => Interlocked.Increment(ref releases);

        public Task<ImageDimensions> IdentifyAsync(Stream source, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Image<Rgba64>> DecodeAsync(Stream source, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task EncodeAsync(Image<Rgba64> image, ImageFormat format, Stream destination, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
