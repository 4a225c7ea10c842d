using System.Text.Json.Nodes;
using LiteRestore.Api.Configuration;
using LiteRestore.Api.Endpoints;
using LiteRestore.Contracts;
using LiteRestore.Inference;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LiteRestore.Api.OpenApi;

/// <summary>
/// Documents what the restoration handlers read by hand, so that Swagger UI's "Try it out" offers file pickers: the
/// multipart form with binary <c>image</c> (and <c>mask</c>) fields, the raw image bodies, the query choices (the
/// variants that the task's installed models offer), and the image answer with its headers.
/// </summary>
internal sealed class ImageUploadOperationFilter(IOptions<ApiOptions> options, IRestorationEngine engine) : IOperationFilter
{
    private static readonly Dictionary<string, string> AnswerHeaders = new()
    {
        [ResponseHeaders.ServerTiming] = "Milliseconds: decode, queue, infer, encode and total are wall-clock spans (the first four add up to at most total); batches adds up the durations of the batches that ran the request's tiles, more than infer when they ran side by side (e.g. `infer;dur=12.5`).",
        [ResponseHeaders.ModelId] = "The model that restored the image.",
        [ResponseHeaders.ModelPrecision] = "The precision its graph ran in: fp32 or int8.",
        [ResponseHeaders.ModelVariant] = "Its variant: baseline, lightweight or experimental.",
        [ResponseHeaders.ExecutionProvider] = "Where its batches ran: cuda or cpu (cuda+cpu when some fell back to the CPU).",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var upload = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ImageUploadMetadata>().SingleOrDefault();
        if (upload is null)
        {
            return;
        }

        operation.RequestBody = RequestBody(upload);
        DescribeImageResponse(operation);
        DescribeChoice(
            operation,
            "variant",
            VariantsOf(upload.Task),
            WireNames.Of(options.Value.DefaultVariant),
            "Which network runs: the full-capacity baseline, the lightweight one, or an experimental one where installed.");
        DescribeChoice(
            operation,
            "precision",
            PrecisionsOf(upload.Task),
            WireNames.Of(options.Value.DefaultPrecision),
            "The arithmetic the network runs in: fp32, or int8 (statically quantised; it runs on the CPU's int8 units). " +
            "Not every model offers int8: GET /v1/models lists the precisions each one is served in.");
        DescribeChoice(
            operation,
            "format",
            WireNames.All<ImageFormat>(),
            defaultValue: null,
            $"Encoding of the answer. Without it the first image type that Accept allows is used, else {WireNames.Of(options.Value.DefaultFormat)}.");
    }

    private IEnumerable<string> VariantsOf(RestorationTask task) => Offered(task, model => model.Card!.Variant);

    private IEnumerable<string> PrecisionsOf(RestorationTask task) => Offered(task, model => model.Precision);

    /// <summary>What the task's installed models offer of <typeparamref name="TEnum"/>, in the enum's order; every value where none is installed.</summary>
    private IEnumerable<string> Offered<TEnum>(RestorationTask task, Func<ModelStatus, TEnum> choice)
        where TEnum : struct, Enum
    {
        var offered = engine.GetModels().Where(model => model.Card?.Task == task).Select(choice).ToHashSet();
        return Enum.GetValues<TEnum>().Where(value => offered.Count == 0 || offered.Contains(value)).Select(WireNames.Of);
    }

    private static OpenApiRequestBody RequestBody(ImageUploadMetadata upload)
    {
        var fields = new Dictionary<string, IOpenApiSchema>
        {
            [UploadFields.Image] = Binary("The photograph: PNG, JPEG or WebP."),
        };
        if (upload.AcceptsMask)
        {
            fields[UploadFields.Mask] = Binary(
                "The hole, same size as the image: white marks pixels to fill. Without it, transparent pixels of the image mark the hole.");
        }

        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = fields,
            Required = new HashSet<string> { UploadFields.Image },
        };
        var content = new Dictionary<string, IOpenApiMediaType> { ["multipart/form-data"] = new OpenApiMediaType { Schema = form } };
        foreach (var mediaType in ImageMediaTypes.All)
        {
            content[mediaType] = new OpenApiMediaType { Schema = Binary("The photograph as the whole body.") };
        }

        return new OpenApiRequestBody
        {
            Required = true,
            Description = "A multipart form with the file field `image`" + (upload.AcceptsMask ? " (and `mask`)" : "") +
                          ", or the image itself as the body.",
            Content = content,
        };
    }

    private static void DescribeImageResponse(OpenApiOperation operation)
    {
        if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse success)
        {
            return;
        }

        success.Description = "The restored image.";
        success.Content = ImageMediaTypes.All.ToDictionary(
            mediaType => mediaType, IOpenApiMediaType (_) => new OpenApiMediaType { Schema = Binary("The restored image.") });
        success.Headers = AnswerHeaders.ToDictionary(
            header => header.Key,
            header => (IOpenApiHeader)new OpenApiHeader { Description = header.Value, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
    }

    private static void DescribeChoice(OpenApiOperation operation, string name, IEnumerable<string> values, string? defaultValue, string description)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(parameter => parameter.Name == name) is not { } parameter)
        {
            return;
        }

        var choices = values.ToList();
        parameter.Description = description;
        parameter.Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. choices.Select(value => (JsonNode)JsonValue.Create(value))],
            Default = defaultValue is null ? null : JsonValue.Create(defaultValue),
        };
        // the last choice differs from the default where there is more than one: an example that changes something
        parameter.Example = JsonValue.Create(choices[^1]);
    }

    private static OpenApiSchema Binary(string description) =>
        new() { Type = JsonSchemaType.String, Format = "binary", Description = description };
}
