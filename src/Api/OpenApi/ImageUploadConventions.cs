using LiteRestore.Contracts;

namespace LiteRestore.Api.OpenApi;

/// <summary>What every endpoint that reads an image upload shares in its OpenAPI description.</summary>
internal static class ImageUploadConventions
{
    /// <summary>
    /// The upload the handler reads itself (see <see cref="ImageUploadOperationFilter"/>), and every problem reading and
    /// admitting it can answer.
    /// </summary>
    public static RouteHandlerBuilder ReadsImageUpload(this RouteHandlerBuilder endpoint, RestorationTask task) => endpoint
        .WithMetadata(new ImageUploadMetadata(task, AcceptsMask: task == RestorationTask.Inpaint))
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status408RequestTimeout)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
