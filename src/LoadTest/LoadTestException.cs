namespace LiteRestore.LoadTest;

/// <summary>A run that cannot go on, with a message meant for the person at the console.</summary>
internal sealed class LoadTestException(string message) : Exception(message);
