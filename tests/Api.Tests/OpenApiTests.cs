using System.Net;
using System.Text.Json;
using LiteRestore.Api.Tests.Infrastructure;
using LiteRestore.Contracts;

namespace LiteRestore.Api.Tests;

/// <summary>The OpenAPI document and Swagger UI describe the API well enough for a person to use it.</summary>
public sealed class OpenApiTests(FixtureModelsFactory factory) : IClassFixture<FixtureModelsFactory>
{
    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/webp"];
    private static readonly string[] CommonProblems = ["400", "404", "413", "415", "429", "503", "504"];

    private readonly HttpClient client = factory.CreateClient();

    /// <summary>The fixtures: denoisers in all three variants (fx-corrupt is the experimental one), one upscaler, one inpainter.</summary>
    [Theory]
    [InlineData("/v1/denoise", false, "baseline,lightweight,experimental")]
    [InlineData("/v1/super-resolve", false, "baseline")]
    [InlineData("/v1/inpaint", true, "baseline")]
    public async Task ARestorationEndpointDocumentsItsUploadsImageAnswersAndProblems(string path, bool takesMask, string variants)
    {
        var post = (await PathsAsync()).GetProperty(path).GetProperty("post");

        Assert.False(string.IsNullOrWhiteSpace(post.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(post.GetProperty("description").GetString()));
        var body = post.GetProperty("requestBody").GetProperty("content");
        var form = body.GetProperty("multipart/form-data").GetProperty("schema");
        Assert.Equal("binary", form.GetProperty("properties").GetProperty("image").GetProperty("format").GetString());
        Assert.Equal(takesMask, form.GetProperty("properties").TryGetProperty("mask", out _));
        Assert.Contains("image", form.GetProperty("required").EnumerateArray().Select(field => field.GetString()));
        Assert.All(ImageTypes, type => Assert.Equal("binary", body.GetProperty(type).GetProperty("schema").GetProperty("format").GetString()));

        var responses = post.GetProperty("responses");
        var success = responses.GetProperty("200");
        Assert.All(ImageTypes, type => Assert.Equal("binary", success.GetProperty("content").GetProperty(type).GetProperty("schema").GetProperty("format").GetString()));
        Assert.All(
            ["Server-Timing", "X-Model-Id", "X-Model-Variant", "X-Model-Precision", "X-Execution-Provider"],
            header => Assert.True(success.GetProperty("headers").TryGetProperty(header, out _), header));
        Assert.All(
            takesMask ? [.. CommonProblems, "422"] : CommonProblems,
            status => Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status));

        var parameters = post.GetProperty("parameters").EnumerateArray().ToDictionary(parameter => parameter.GetProperty("name").GetString()!);
        Assert.All(parameters.Values, parameter => Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString())));
        Assert.Equal(variants.Split(','), Enum(parameters["variant"]));
        Assert.Equal(["png", "jpeg", "webp"], Enum(parameters["format"]));
        // the fixtures are served in fp32 only
        Assert.Equal(["fp32"], Enum(parameters["precision"]));
        Assert.All(["variant", "format", "precision"], name => Assert.Contains(parameters[name].GetProperty("example").GetString(), Enum(parameters[name])));
    }

    [Theory]
    [InlineData("/v1/models", null)]
    [InlineData("/v1/models/{id}", "404")]
    [InlineData("/healthz", null)]
    [InlineData("/readyz", "503")]
    public async Task EveryOtherEndpointIsDescribed(string path, string? problem)
    {
        var get = (await PathsAsync()).GetProperty(path).GetProperty("get");

        Assert.False(string.IsNullOrWhiteSpace(get.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(get.GetProperty("description").GetString()));
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out _));
        if (problem is not null)
        {
            Assert.True(get.GetProperty("responses").GetProperty(problem).GetProperty("content").TryGetProperty("application/problem+json", out _));
        }
    }

    [Fact]
    public async Task TheRootServesThePlaygroundWithItsSamplesAndLinksToSwaggerUI()
    {
        using var root = await client.GetAsync("/");
        var page = await root.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("playground.js", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/swagger\"", page, StringComparison.Ordinal);

        using var script = await client.GetAsync("/playground.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var sample = await client.GetAsync("/samples/noisy.png");
        Assert.Equal("image/png", sample.Content.Headers.ContentType?.MediaType);

        using var ui = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger-ui", await ui.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwaggerUIOpensReadyToTryShowsEachCallSDurationAndLinksToOperations()
    {
        var script = await client.GetStringAsync("/swagger/index.js");

        Assert.Contains("\"tryItOutEnabled\":true", script);
        Assert.Contains("\"displayRequestDuration\":true", script);
        Assert.Contains("\"deepLinking\":true", script);
    }

    [Fact]
    public async Task ProblemsDocumentTheirStableCodesTraceIdAndRetryAfter()
    {
        var document = await DocumentAsync();

        var problem = document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        var codes = problem.GetProperty("code").GetProperty("enum").EnumerateArray().Select(code => code.GetString()).ToList();
        Assert.All(typeof(ErrorCodes).GetFields().Where(field => field.IsLiteral).Select(field => (string)field.GetValue(null)!),
            code => Assert.Contains(code, codes));
        Assert.True(problem.TryGetProperty("traceId", out _));
        var responses = document.GetProperty("paths").GetProperty("/v1/denoise").GetProperty("post").GetProperty("responses");
        Assert.Contains($"`{ErrorCodes.Overloaded}`", responses.GetProperty("429").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains($"`{ErrorCodes.ModelNotFound}`", responses.GetProperty("404").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.All(["429", "503"], status => Assert.True(responses.GetProperty(status).GetProperty("headers").TryGetProperty("Retry-After", out _), status));
    }

    [Fact]
    public async Task TheDocumentNamesThisServiceAsItsServerAndDescribesEveryTagItUses()
    {
        var document = await DocumentAsync();

        Assert.Equal("/", Assert.Single(document.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
        var described = document.GetProperty("tags").EnumerateArray()
            .Where(tag => !string.IsNullOrWhiteSpace(tag.GetProperty("description").GetString()))
            .Select(tag => tag.GetProperty("name").GetString()).ToHashSet();
        var used = document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject())
            .SelectMany(operation => operation.Value.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.All(used, tag => Assert.Contains(tag, described));
    }

    private async Task<JsonElement> PathsAsync() => (await DocumentAsync()).GetProperty("paths");

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string[] Enum(JsonElement parameter) =>
        [.. parameter.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(value => value.GetString()!)];
}
