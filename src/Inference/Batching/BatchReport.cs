namespace LiteRestore.Inference;

/// <summary>
/// How one batch ran: the provider it ran on, its outcome (a <see cref="Contracts.TelemetryNames.Outcomes"/> value or an
/// error code), its time and its size.
/// </summary>
internal readonly record struct BatchReport(string Provider, string Outcome, TimeSpan Elapsed, int Tiles);
