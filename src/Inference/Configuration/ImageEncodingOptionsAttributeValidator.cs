using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>The attributes on <see cref="ImageEncodingOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ImageEncodingOptionsAttributeValidator : IValidateOptions<ImageEncodingOptions>;
