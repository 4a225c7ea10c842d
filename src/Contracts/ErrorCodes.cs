namespace LiteRestore.Contracts;

/// <summary>The stable <c>code</c> extension of every problem-details answer.</summary>
public static class ErrorCodes
{
    public const string ImageInvalid = "image_invalid";                 // 400
    public const string RequestInvalid = "request_invalid";             // 400
    public const string NotFound = "not_found";                         // 404 (no such route)
    public const string ModelNotFound = "model_not_found";              // 404
    public const string JobNotFound = "job_not_found";                  // 404 (deleted, expired or never created)
    public const string JobNotFinished = "job_not_finished";            // 409 (its result is not there yet)
    public const string UploadTooSlow = "upload_too_slow";              // 408
    public const string ImageTooLarge = "image_too_large";              // 413
    public const string MediaTypeUnsupported = "media_type_unsupported"; // 415
    public const string MaskMismatch = "mask_mismatch";                 // 422
    public const string HoleCoversImage = "hole_covers_image";          // 422
    public const string Overloaded = "overloaded";                      // 429 (model queue full)
    public const string RateLimited = "rate_limited";                   // 429 (per-client limit)
    public const string InternalError = "internal_error";               // 500 (a job failed unexpectedly)
    public const string ModelNotReady = "model_not_ready";              // 503
    public const string Timeout = "timeout";                            // 504

    /// <summary>
    /// Whether <paramref name="code"/> means the client sent something the service cannot serve (a 4xx other than
    /// 429), as opposed to the service failing or refusing work it could do later.
    /// </summary>
    public static bool IsClientMistake(string code) => code is ImageInvalid or RequestInvalid or NotFound or ModelNotFound or JobNotFound
        or UploadTooSlow or ImageTooLarge or MediaTypeUnsupported or MaskMismatch or HoleCoversImage;
}
