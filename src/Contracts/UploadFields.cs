namespace LiteRestore.Contracts;

/// <summary>The multipart/form-data fields a restoration reads.</summary>
public static class UploadFields
{
    /// <summary>The photograph: PNG, JPEG or WebP.</summary>
    public const string Image = "image";

    /// <summary>For inpainting: the hole, same size as the image, white where pixels are to be filled.</summary>
    public const string Mask = "mask";
}
