using System.Diagnostics;
using System.Globalization;
using LiteRestore.Client;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Http;

/// <summary>
/// Sends one restoration request through <see cref="LiteRestoreClient"/> and turns the answer, or its failure, into a
/// <see cref="RequestSample"/>; with <paramref name="viaJobs"/>, through the job API: submit, poll until it ends, collect
/// the result, delete. The client retries nothing: a refusal is a result the load test counts.
/// </summary>
internal sealed class RestorationClient(LiteRestoreClient client, RestorationTask task, ImageFormat format, TimeSpan timeout, bool viaJobs = false)
{
    public const string TimeoutError = "timeout";

    private static readonly IReadOnlyDictionary<string, double> NoTimings = new Dictionary<string, double>();

    /// <summary>Between two looks at a job's status: short beside the seconds a job takes, long beside a GET.</summary>
    private static readonly TimeSpan JobPollInterval = TimeSpan.FromMilliseconds(100);

    /// <param name="dueTimestamp">The <see cref="Stopwatch"/> timestamp the latency is measured from.</param>
    public async Task<RequestSample> SendAsync(TestImage image, ModelChoice choice, long dueTimestamp, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return viaJobs
                ? await RunJobAsync(image, choice, dueTimestamp, deadline.Token)
                : await RestoreAsync(image, choice, dueTimestamp, deadline.Token);
        }
        catch (LiteRestoreProblemException e)
        {
            return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, ErrorOf(e), image);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, TimeoutError, image);
        }
        catch (HttpRequestException e)
        {
            return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, $"network {e.HttpRequestError}", image);
        }
    }

    private async Task<RequestSample> RestoreAsync(TestImage image, ModelChoice choice, long dueTimestamp, CancellationToken cancellationToken)
    {
        var restored = await client.RestoreAsync(task, image.Content, Options(image, choice), cancellationToken);
        var latency = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
        var timings = restored.ServerTiming.ToDictionary(span => span.Key, span => span.Value.TotalMilliseconds, StringComparer.OrdinalIgnoreCase);
        return new RequestSample(latency, null, image.Megapixels, timings, restored.ModelId, restored.Provider);
    }

    /// <summary>A job's whole life: its latency runs from the due time to the result's last byte; the job is then deleted.</summary>
    private async Task<RequestSample> RunJobAsync(TestImage image, ModelChoice choice, long dueTimestamp, CancellationToken cancellationToken)
    {
        var status = await client.SubmitJobAsync(task, image.Content, Options(image, choice), cancellationToken);
        try
        {
            status = await client.WaitForJobAsync(status.Id, JobPollInterval, cancellationToken);
            if (status.State == JobState.Failed)
            {
                return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, $"job {status.ErrorCode}", image);
            }

            await client.GetJobResultAsync(status.Id, cancellationToken);
            return new RequestSample(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, null, image.Megapixels, NoTimings, status.ModelId, Provider: null);
        }
        finally
        {
            await DeleteAsync(status.Id);
        }
    }

    /// <summary>Deletes a job whatever became of it; one that is already gone needs nothing more.</summary>
    private async Task DeleteAsync(string id)
    {
        try
        {
            await client.DeleteJobAsync(id, CancellationToken.None);
        }
        catch (LiteRestoreProblemException)
        {
        }
    }

    private RestoreOptions Options(TestImage image, ModelChoice choice) => new()
    {
        Variant = choice.Variant,
        Precision = choice.Precision,
        Format = format,
        Mask = image.Mask,
    };

    /// <summary>The status code, and the problem's stable <c>code</c> when the answer was a problem document.</summary>
    private static string ErrorOf(LiteRestoreProblemException problem)
    {
        var status = ((int)problem.Status).ToString(CultureInfo.InvariantCulture);
        return problem.Code is null ? status : $"{status} {problem.Code}";
    }

    private static RequestSample Failure(double latency, string error, TestImage image) =>
        new(latency, error, image.Megapixels, NoTimings, null, null);
}
