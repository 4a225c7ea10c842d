using System.Diagnostics;
using System.Globalization;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Statistics;

namespace LiteRestore.LoadTest;

/// <summary>
/// One status line per interval while a phase runs: elapsed time, answers, errors, rate and p95 so far. On a terminal
/// the line is rewritten in place; redirected, each update is its own line.
/// </summary>
internal sealed class LiveProgress : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private const double NinetyFifth = 95;

    private readonly TextWriter output;
    private readonly string label;
    private readonly TimeSpan duration;
    private readonly SampleRecorder recorder;
    private readonly bool rewrite;
    private readonly long started;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LiveProgress(TextWriter output, string label, TimeSpan duration, SampleRecorder recorder, bool rewrite)
    {
        this.output = output;
        this.label = label;
        this.duration = duration;
        this.recorder = recorder;
        this.rewrite = rewrite;
        started = Stopwatch.GetTimestamp();
        loop = RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        await WriteAsync(final: true);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await WriteAsync(final: false);
            }
        }
        catch (OperationCanceledException)
        {
            // The phase is over; DisposeAsync writes the last line.
        }
    }

    private Task WriteAsync(bool final)
    {
        var samples = recorder.Snapshot();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var successes = samples.Where(sample => sample.Succeeded).Select(sample => sample.LatencyMs).ToList();
        var p95 = successes.Count == 0 ? "-" : new Distribution(successes).Percentile(NinetyFifth).ToString("0", CultureInfo.InvariantCulture);
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{label}  {elapsed.TotalSeconds,5:0.0}/{duration.TotalSeconds:0} s  {samples.Count,6} answered  {samples.Count - successes.Count,5} errors  {successes.Count / Math.Max(elapsed.TotalSeconds, double.Epsilon),7:0.0} req/s  p95 {p95} ms");
        return rewrite
            ? output.WriteAsync($"\r{line}{(final ? Environment.NewLine : "")}")
            : output.WriteLineAsync(line);
    }
}
