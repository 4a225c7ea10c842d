using LiteRestore.Contracts;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace LiteRestore.Inference;

/// <summary>What the decoders throw on a client's bytes, as the coded rejections the client is answered with.</summary>
internal static class DecoderFailures
{
    /// <summary>Runs <paramref name="read"/>, turning what a decoder throws on the client's bytes into rejections.</summary>
    public static T AsRejections<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ImageFormatException e)
        {
            throw new ImageRejectedException(ErrorCodes.ImageInvalid, $"The image cannot be decoded: {e.Message}");
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new ImageRejectedException(ErrorCodes.ImageTooLarge, $"Decoding the image needs more memory than allowed: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw new ImageRejectedException(ErrorCodes.MediaTypeUnsupported, $"The image uses a feature the decoder does not support: {e.Message}");
        }
        catch (Exception e) when (e is not (ImageRejectedException or OperationCanceledException or OutOfMemoryException))
        {
            // ImageSharp's JPEG and WebP decoders also throw NullReferenceException and ArgumentOutOfRangeException on
            // malformed bytes: whatever a decoder throws on the client's bytes means a broken image, not a broken service.
            throw new ImageRejectedException(ErrorCodes.ImageInvalid, "The image cannot be decoded: its data is malformed.");
        }
    }
}
