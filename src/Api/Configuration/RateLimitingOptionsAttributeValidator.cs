using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Configuration;

/// <summary>The attributes on <see cref="RateLimitingOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class RateLimitingOptionsAttributeValidator : IValidateOptions<RateLimitingOptions>;
