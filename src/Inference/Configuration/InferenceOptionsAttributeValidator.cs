using Microsoft.Extensions.Options;

namespace LiteRestore.Inference;

/// <summary>The attributes on <see cref="InferenceOptions"/> and its nested settings, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class InferenceOptionsAttributeValidator : IValidateOptions<InferenceOptions>;
