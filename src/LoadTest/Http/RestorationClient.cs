using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Http;

/// <summary>
/// Sends one restoration request and turns the answer, or its failure, into a <see cref="RequestSample"/>; with
/// <paramref name="viaJobs"/>, through the job API: create, poll until it ends, collect the result, delete.
/// </summary>
internal sealed class RestorationClient(HttpClient http, RestorationTask task, ImageFormat format, TimeSpan timeout, bool viaJobs = false)
{
    public const string TimeoutError = "timeout";

    private const string ProblemCodeProperty = "code";
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
        using var request = new HttpRequestMessage(HttpMethod.Post, PathFor(choice)) { Content = image.CreateContent() };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var latency = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            return Failure(latency, await ErrorOf(response, cancellationToken), image);
        }

        var timings = response.Headers.TryGetValues(ResponseHeaders.ServerTiming, out var values)
            ? ServerTiming.Parse(string.Join(", ", values))
            : NoTimings;
        return new RequestSample(latency, null, image.Megapixels, timings, Header(response, ResponseHeaders.ModelId), Header(response, ResponseHeaders.ExecutionProvider));
    }

    /// <summary>A job's whole life: its latency runs from the due time to the result's last byte; the job is then deleted.</summary>
    private async Task<RequestSample> RunJobAsync(TestImage image, ModelChoice choice, long dueTimestamp, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PathFor(choice, "/v1/jobs")) { Content = image.CreateContent() };
        using var created = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Accepted || created.Headers.Location is not { } location)
        {
            return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, await ErrorOf(created, cancellationToken), image);
        }

        try
        {
            var status = (await created.Content.ReadFromJsonAsync<JobStatus>(cancellationToken))!;
            while (status.State is JobState.Queued or JobState.Running)
            {
                await Task.Delay(JobPollInterval, cancellationToken);
                status = (await http.GetFromJsonAsync<JobStatus>(location, cancellationToken))!;
            }

            if (status.State == JobState.Failed)
            {
                return Failure(Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds, $"job {status.ErrorCode}", image);
            }

            using var result = await http.GetAsync(status.ResultUrl, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var latency = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
            return result.IsSuccessStatusCode
                ? new RequestSample(latency, null, image.Megapixels, NoTimings, status.ModelId, Provider: null)
                : Failure(latency, await ErrorOf(result, cancellationToken), image);
        }
        finally
        {
            using var deleted = await http.DeleteAsync(location, CancellationToken.None);
        }
    }

    private string PathFor(ModelChoice choice, string root = "/v1") =>
        $"{root}/{WireNames.Of(task)}?variant={WireNames.Of(choice.Variant)}&precision={WireNames.Of(choice.Precision)}&format={WireNames.Of(format)}";

    private static RequestSample Failure(double latency, string error, TestImage image) =>
        new(latency, error, image.Megapixels, NoTimings, null, null);

    /// <summary>The status code, and the problem's stable <c>code</c> when the body is a problem document.</summary>
    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.ValueKind == JsonValueKind.Object
                   && problem.TryGetProperty(ProblemCodeProperty, out var code)
                   && code.ValueKind == JsonValueKind.String
                ? $"{status} {code.GetString()}"
                : status;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return status;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
