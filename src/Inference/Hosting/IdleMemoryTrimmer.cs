using LiteRestore.Inference.Admission;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;

namespace LiteRestore.Inference;

/// <summary>
/// Shrinks an idle service: once no request has held image memory for
/// <see cref="InferenceOptions.TrimMemoryWhenIdleFor"/>, it hands the image pools' buffers back, runs one compacting,
/// decommitting collection and trims the C library's heap. Without it the process keeps the peak of its last burst for
/// as long as nothing allocates, because nothing then triggers a collection. It trims once per quiet spell, never while
/// a request holds memory.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(
    WorkingMemoryBudget budget, IImageCodec codec, IOptions<InferenceOptions> options, TimeProvider clock, ILogger<IdleMemoryTrimmer> logger)
    : BackgroundService
{
    /// <summary>Looks per quiet spell: a trim comes at most this share of the idle time late.</summary>
    private const int LooksPerIdleTime = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleFor = options.Value.TrimMemoryWhenIdleFor;
        using var timer = new PeriodicTimer(idleFor / LooksPerIdleTime, clock);
        var seen = budget.Activity.Changes;
        var quietSince = clock.GetTimestamp();
        var trimmed = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var (holders, changes) = budget.Activity;
                if (holders > 0 || changes != seen)
                {
                    (seen, quietSince, trimmed) = (changes, clock.GetTimestamp(), false);
                }
                else if (!trimmed && clock.GetElapsedTime(quietSince) >= idleFor)
                {
                    Trim();
                    trimmed = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        codec.ReleaseRetainedMemory();
        Configuration.Default.MemoryAllocator.ReleaseRetainedResources();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        LogTrimmed(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idle: trimmed memory from {BeforeMiB} MiB to {AfterMiB} MiB resident")]
    private static partial void LogTrimmed(ILogger logger, long beforeMiB, long afterMiB);
}
