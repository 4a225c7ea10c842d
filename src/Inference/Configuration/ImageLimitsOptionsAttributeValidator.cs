using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>The attributes on <see cref="ImageLimitsOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ImageLimitsOptionsAttributeValidator : IValidateOptions<ImageLimitsOptions>;
