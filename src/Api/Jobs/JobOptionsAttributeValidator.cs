using Microsoft.Extensions.Options;

namespace LiteRestore.Api.Jobs;

/// <summary>The attributes on <see cref="JobOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class JobOptionsAttributeValidator : IValidateOptions<JobOptions>;
