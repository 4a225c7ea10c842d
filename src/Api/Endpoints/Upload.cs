using LiteRestore.Inference.Admission;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace LiteRestore.Api.Endpoints;

/// <summary>The decoded upload; disposing it releases both images and the memory reserved for the request.</summary>
internal sealed class Upload(Image<Rgba64> image, Image<Rgba64>? mask, MemoryReservation reservation) : IDisposable
{
    public Image<Rgba64> Image { get; } = image;

    public Image<Rgba64>? Mask { get; } = mask;

    public void Dispose()
    {
        Image.Dispose();
        Mask?.Dispose();
        reservation.Dispose();
    }
}
