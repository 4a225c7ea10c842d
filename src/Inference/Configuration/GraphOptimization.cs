namespace LiteRestore.Inference;

/// <summary>How far ONNX Runtime rewrites a graph before running it.</summary>
public enum GraphOptimization
{
    Disabled,
    Basic,
    Extended,
    All,
}
