using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiteRestore.Contracts;

namespace LiteRestore.Client;

/// <summary>
/// The LiteRestore HTTP API, typed: restorations answered at once or run as jobs, and the models served. A problem
/// answer becomes a <see cref="LiteRestoreProblemException"/>; 429 and 503 answers with <c>Retry-After</c> are retried
/// as <see cref="LiteRestoreClientOptions"/> allow.
/// </summary>
public sealed class LiteRestoreClient(HttpClient http, LiteRestoreClientOptions? options = null)
{
    private const string Root = "/v1";
    private const string Jobs = "/v1/jobs";
    private const string Models = "/v1/models";

    private readonly LiteRestoreClientOptions options = options ?? new LiteRestoreClientOptions();

    /// <summary>Removes noise from <paramref name="image"/> (PNG, JPEG or WebP bytes).</summary>
    public Task<RestoredImage> DenoiseAsync(ReadOnlyMemory<byte> image, RestoreOptions? choices = null, CancellationToken cancellationToken = default) =>
        RestoreAsync(RestorationTask.Denoise, image, choices, cancellationToken);

    /// <summary>Enlarges <paramref name="image"/> 4 times in each direction.</summary>
    public Task<RestoredImage> SuperResolveAsync(ReadOnlyMemory<byte> image, RestoreOptions? choices = null, CancellationToken cancellationToken = default) =>
        RestoreAsync(RestorationTask.SuperResolve, image, choices, cancellationToken);

    /// <summary>Fills the hole of <paramref name="image"/> that <paramref name="mask"/> (same size, white = hole) marks.</summary>
    public Task<RestoredImage> InpaintAsync(ReadOnlyMemory<byte> image, ReadOnlyMemory<byte> mask, RestoreOptions? choices = null, CancellationToken cancellationToken = default) =>
        RestoreAsync(RestorationTask.Inpaint, image, (choices ?? new RestoreOptions()) with { Mask = mask }, cancellationToken);

    /// <summary>Restores <paramref name="image"/> while the caller waits; a large image answers 413 <c>image_too_large</c>: submit it as a job.</summary>
    public async Task<RestoredImage> RestoreAsync(RestorationTask task, ReadOnlyMemory<byte> image, RestoreOptions? choices = null, CancellationToken cancellationToken = default)
    {
        choices ??= new RestoreOptions();
        using var response = await SendAsync(() => Upload($"{Root}/{WireNames.Of(task)}", image, choices), cancellationToken).ConfigureAwait(false);
        return new RestoredImage
        {
            Bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
            ContentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream",
            ModelId = Header(response, ResponseHeaders.ModelId) ?? string.Empty,
            Variant = Parsed<ModelVariant>(Header(response, ResponseHeaders.ModelVariant)),
            Precision = Parsed<ModelPrecision>(Header(response, ResponseHeaders.ModelPrecision)),
            Provider = Header(response, ResponseHeaders.ExecutionProvider),
            ServerTiming = ServerTimingHeader.Parse(Header(response, ResponseHeaders.ServerTiming))
                .ToDictionary(span => span.Key, span => TimeSpan.FromMilliseconds(span.Value), StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>Submits <paramref name="image"/> as a job (any size within the service's limits); the status says where it stands.</summary>
    public async Task<JobStatus> SubmitJobAsync(RestorationTask task, ReadOnlyMemory<byte> image, RestoreOptions? choices = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Upload($"{Jobs}/{WireNames.Of(task)}", image, choices ?? new RestoreOptions()), cancellationToken).ConfigureAwait(false);
        return await Json<JobStatus>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the job stands: its state, its progress in tiles, and where its result is once it has succeeded.</summary>
    public async Task<JobStatus> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, JobPath(id)), cancellationToken).ConfigureAwait(false);
        return await Json<JobStatus>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls the job every <paramref name="pollInterval"/> until it has succeeded or failed.</summary>
    public async Task<JobStatus> WaitForJobAsync(string id, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var status = await GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        while (status.State is JobState.Queued or JobState.Running)
        {
            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
            status = await GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>The restored image of a job that has succeeded; 409 <c>job_not_finished</c> before that.</summary>
    public async Task<ReadOnlyMemory<byte>> GetJobResultAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{JobPath(id)}/result"), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels the job if it runs, and deletes it with its result.</summary>
    public async Task DeleteJobAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, JobPath(id)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every model the service found, in every precision it serves it in.</summary>
    public async Task<IReadOnlyList<ModelStatus>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Models), cancellationToken).ConfigureAwait(false);
        return await Json<List<ModelStatus>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One model in one precision: its card, availability, provider, memory and live statistics.</summary>
    public async Task<ModelStatus> GetModelAsync(string id, ModelPrecision precision = ModelPrecision.Fp32, CancellationToken cancellationToken = default)
    {
        var path = $"{Models}/{Uri.EscapeDataString(id)}?precision={WireNames.Of(precision)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await Json<ModelStatus>(response, cancellationToken).ConfigureAwait(false);
    }

    private static string JobPath(string id) => $"{Jobs}/{Uri.EscapeDataString(id)}";

    private static HttpRequestMessage Upload(string path, ReadOnlyMemory<byte> image, RestoreOptions choices)
    {
        var query = new List<string>();
        if (choices.Variant is { } variant)
        {
            query.Add($"variant={WireNames.Of(variant)}");
        }

        if (choices.Precision is { } precision)
        {
            query.Add($"precision={WireNames.Of(precision)}");
        }

        if (choices.Format is { } format)
        {
            query.Add($"format={WireNames.Of(format)}");
        }

        var form = new MultipartFormDataContent { { new ReadOnlyMemoryContent(image), UploadFields.Image, "image" } };
        // an empty mask (a null array converts to one) marks no hole: it is not sent
        if (choices.Mask is { Length: > 0 } mask)
        {
            form.Add(new ReadOnlyMemoryContent(mask), UploadFields.Mask, "mask");
        }

        return new HttpRequestMessage(HttpMethod.Post, query.Count == 0 ? path : $"{path}?{string.Join('&', query)}") { Content = form };
    }

    /// <summary>Sends a fresh request until it succeeds, or throws its problem where no retry is allowed or can help.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            LiteRestoreProblemException problem;
            using (response)
            {
                problem = await ProblemAnswer.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var retryable = problem.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
            if (!retryable || attempt >= options.MaxAttempts || problem.RetryAfter is not { } wait || wait > options.MaxRetryDelay)
            {
                throw problem;
            }

            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> Json<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException($"{response.RequestMessage?.RequestUri} answered null.");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    private static TEnum? Parsed<TEnum>(string? text)
        where TEnum : struct, Enum =>
        text is not null && WireNames.TryParse<TEnum>(text, out var value) ? value : null;
}
