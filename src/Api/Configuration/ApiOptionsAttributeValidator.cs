using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Configuration;

/// <summary>The attributes on <see cref="ApiOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class ApiOptionsAttributeValidator : IValidateOptions<ApiOptions>;
