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
    /// <summary>The names the options classes give their section: <c>Section</c> (Api) or <c>SectionName</c> (Inference).</summary>
    private static readonly string[] SectionFields = ["Section", "SectionName"];

    public static bool IsOptionVariable(string name) => name.Contains("__", StringComparison.Ordinal);

    /// <summary><c>Inference__CircuitBreaker__BreakDuration</c> is the configuration key <c>Inference:CircuitBreaker:BreakDuration</c>.</summary>
    public static string KeyOf(string variable) => variable.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    public static string? SectionOf(Type options) =>
        SectionFields.Select(name => options.GetField(name, BindingFlags.Public | BindingFlags.Static))
            .FirstOrDefault(field => field is { IsLiteral: true })?.GetRawConstantValue() as string;

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
