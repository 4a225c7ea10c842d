using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LiteRestore.Contracts;
using LiteRestore.LoadTest.Images;
using LiteRestore.LoadTest.Load;

namespace LiteRestore.LoadTest.Http;

/// <summary>Sends one restoration request and turns the answer, or its failure, into a <see cref="RequestSample"/>.</summary>
internal sealed class RestorationClient(HttpClient http, RestorationTask task, ImageFormat format, TimeSpan timeout)
{
    public const string TimeoutError = "timeout";
    public const string ModelIdHeader = "X-Model-Id";
    public const string ProviderHeader = "X-Execution-Provider";

    private const string ProblemCodeProperty = "code";
    private static readonly IReadOnlyDictionary<string, double> NoTimings = new Dictionary<string, double>();

    /// <param name="dueTimestamp">The <see cref="Stopwatch"/> timestamp the latency is measured from.</param>
    public async Task<RequestSample> SendAsync(TestImage image, ModelVariant variant, long dueTimestamp, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PathFor(variant)) { Content = image.CreateContent() };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var latency = Stopwatch.GetElapsedTime(dueTimestamp).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return Failure(latency, await ErrorOf(response, deadline.Token), image);
            }

            var timings = response.Headers.TryGetValues(ServerTiming.HeaderName, out var values)
                ? ServerTiming.Parse(string.Join(", ", values))
                : NoTimings;
            return new RequestSample(latency, null, image.Megapixels, timings, Header(response, ModelIdHeader), Header(response, ProviderHeader));
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

    private string PathFor(ModelVariant variant) =>
        $"/v1/{Wire.Name(task)}?variant={Wire.Name(variant)}&format={Wire.Name(format)}";

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
