namespace LiteRestore.Api.Endpoints;

/// <summary>The answer of a passing probe.</summary>
internal sealed record ProbeStatus(string Status);
