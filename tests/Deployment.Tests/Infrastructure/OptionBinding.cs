using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace LiteRestore.Deployment.Tests.Infrastructure;

/// <summary>
/// Whether a <c>Section__Key</c> environment variable sets a real property of the options the service binds: bound the way
/// the service binds it, but with unknown keys and unconvertible values as errors, then validated like at start-up.
/// </summary>
internal static class OptionBinding
{
    /// <summary>The constant every options class names its configuration section with.</summary>
    private const string SectionField = "SectionName";

    public static bool IsOptionVariable(string name) => name.Contains("__", StringComparison.Ordinal);

    /// <summary><c>Inference__CircuitBreaker__BreakDuration</c> is the configuration key <c>Inference:CircuitBreaker:BreakDuration</c>.</summary>
    public static string KeyOf(string variable) => variable.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    public static string? SectionOf(Type options) =>
        options.GetField(SectionField, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null;

    /// <summary>
    /// Null when the variable binds and validates; otherwise why not. Without a value (a setting only named) the key must
    /// bind, and validation is skipped: binding no value resets the property.
    /// </summary>
    public static string? Problem(IReadOnlyDictionary<string, Type> sections, string variable, string? value)
    {
        var key = KeyOf(variable);
        var section = key.Split(ConfigurationPath.KeyDelimiter)[0];
        if (!sections.TryGetValue(section, out var type))
        {
            return $"{variable}: the service binds no options section '{section}' (it binds {string.Join(", ", sections.Keys.Order())}).";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        var options = Activator.CreateInstance(type, nonPublic: true)!;
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            return $"{variable}={value}: {e.Message}";
        }

        if (value is null)
        {
            return null;
        }

        var errors = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true)
            ? null
            : $"{variable}={value}: {string.Join("; ", errors.Select(error => error.ErrorMessage))}";
    }
}
