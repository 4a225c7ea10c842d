using System.Diagnostics;
using System.Text.Json;
using LiteRestore.Client;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Http;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;
using LiteRestore.LoadTest.Results;

namespace LiteRestore.LoadTest;

/// <summary>
/// Drives the service through every variant, precision and load level: warm-up, a <c>/v1/models</c> snapshot, the measured
/// phase with <c>/healthz</c> probes beside it, another snapshot; then checks the thresholds.
/// </summary>
internal sealed class LoadTestRunner(HttpClient http, LoadTestSettings settings, IReadOnlyList<TestImage> images, TextWriter console, bool rewriteProgress)
{
    private readonly ModelsClient modelsClient = new(new LiteRestoreClient(http));
    private readonly RestorationClient restorations = new(new LiteRestoreClient(http), settings.Task, settings.Format, settings.RequestTimeout, settings.Jobs);
    private readonly HealthProbe probe = new(http, settings.ProbeInterval, settings.ProbeTimeout);
    private int nextImage = -1;

    public async Task<LoadTestReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var models = await ReadModelsAsync(cancellationToken);
        var modelIds = settings.Variants.ToDictionary(variant => variant, variant => ModelsClient.ResolveModelId(models, settings.Task, variant, settings.Precisions));

        var levels = new List<LevelResult>();
        foreach (var choice in settings.Variants.SelectMany(variant => settings.Precisions.Select(precision => new ModelChoice(variant, precision))))
        {
            foreach (var level in settings.Levels)
            {
                levels.Add(await RunLevelAsync(choice, modelIds[choice.Variant], level, cancellationToken));
            }
        }

        return new LoadTestReport
        {
            Url = settings.Url.ToString(),
            Task = settings.Task,
            Format = settings.Format,
            Images = images,
            DurationSeconds = settings.Duration.TotalSeconds,
            WarmupSeconds = settings.Warmup.TotalSeconds,
            StartedAt = startedAt,
            FinishedAt = DateTimeOffset.UtcNow,
            Levels = levels,
            Thresholds = settings.Thresholds,
            Violations = settings.Thresholds.Evaluate(levels),
        };
    }

    private async Task<IReadOnlyList<ModelStatus>> ReadModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await modelsClient.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or LiteRestoreProblemException)
        {
            throw new LoadTestException($"Cannot read {ModelsClient.Path} from {settings.Url}: {e.Message}");
        }
    }

    private async Task<LevelResult> RunLevelAsync(ModelChoice choice, string modelId, LoadLevel level, CancellationToken cancellationToken)
    {
        var label = $"{choice.Label} {level.Label}";
        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync($"{label} warm-up", choice, level, settings.Warmup, cancellationToken);
        }

        var before = await modelsClient.SnapshotAsync(modelId, choice.Precision, cancellationToken);
        (TimeSpan Elapsed, IReadOnlyList<RequestSample> Samples) measured;
        using var stopProbing = new CancellationTokenSource();
        var probing = probe.RunAsync(stopProbing.Token);
        try
        {
            measured = await RunPhaseAsync($"{label} measure", choice, level, settings.Duration, cancellationToken);
        }
        finally
        {
            await stopProbing.CancelAsync();
        }

        var probes = await probing;
        var after = await modelsClient.SnapshotAsync(modelId, choice.Precision, cancellationToken);
        return LevelResult.From(choice, level, measured.Elapsed, measured.Samples, probes, before, after);
    }

    private async Task<(TimeSpan Elapsed, IReadOnlyList<RequestSample> Samples)> RunPhaseAsync(
        string label, ModelChoice choice, LoadLevel level, TimeSpan duration, CancellationToken cancellationToken)
    {
        var recorder = new SampleRecorder();
        var started = Stopwatch.GetTimestamp();
        await using var progress = new LiveProgress(console, label, duration, recorder, rewriteProgress);
        await LoadDrivers.RunAsync(
            level,
            duration,
            async due => recorder.Add(await restorations.SendAsync(NextImage(), choice, due, cancellationToken)),
            cancellationToken);
        return (Stopwatch.GetElapsedTime(started), recorder.Snapshot());
    }

    private TestImage NextImage() => images[(int)((uint)Interlocked.Increment(ref nextImage) % (uint)images.Count)];
}
