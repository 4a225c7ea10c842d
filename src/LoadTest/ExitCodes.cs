namespace LiteRestore.LoadTest;

/// <summary>What the process answers a pipeline that gates on it.</summary>
internal static class ExitCodes
{
    public const int Passed = 0;

    /// <summary>The command line was wrong (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;

    /// <summary>The run completed and at least one threshold was violated.</summary>
    public const int ThresholdViolated = 2;

    /// <summary>The run could not be done: the service was unreachable or a variant has no ready model.</summary>
    public const int RunFailed = 3;
}
