namespace LiteRestore.Inference.Tests.Infrastructure;

/// <summary>Tests that read the process's resident memory run after the others, alone, so no other test's allocations land in their numbers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResidentMemoryTests
{
    public const string Name = "resident memory";
}
