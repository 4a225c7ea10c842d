namespace LiteRestore.Inference;

/// <summary>Which execution provider the sessions run on.</summary>
public enum ExecutionProviderPreference
{
    /// <summary>Try CUDA by creating a session; fall back to CPU and record why.</summary>
    Auto,

    /// <summary>CUDA only: a model whose CUDA session cannot be created is unavailable.</summary>
    Cuda,

    /// <summary>CPU only.</summary>
    Cpu,
}
