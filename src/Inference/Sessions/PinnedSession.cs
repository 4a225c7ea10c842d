using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference;

/// <summary>
/// One ONNX Runtime session with input and output buffers for the largest batch of native tiles, pinned once: each
/// batch size has its pre-built <see cref="OrtValue"/>s over the start of those buffers, so a run allocates no
/// tensors. Tiles of another shape run in <see cref="SizedTiles"/>.
/// </summary>
internal sealed class PinnedSession : ITileBuffers, IDisposable
{
    /// <summary>
    /// Run option that hands the CPU arena's unused regions back once a run ends: without it, the arena would keep what
    /// the largest sized tile ever needed for the rest of the process's life, in every session.
    /// </summary>
    private const string ArenaShrinkage = "memory.enable_memory_arena_shrinkage";
    private const string CpuArena = "cpu:0";

    private readonly InferenceSession session;
    private readonly float[] input;
    private readonly float[] output;
    private readonly OrtValue[][] inputsByBatch;
    private readonly OrtValue[][] outputsByBatch;
    private readonly string[] inputNames;
    private readonly string[] outputNames;

    public PinnedSession(InferenceSession session, string provider, string inputName, string outputName, TileShape shape, int maxBatch)
    {
        this.session = session;
        Provider = provider;
        Shape = shape;
        MaxBatch = maxBatch;
        inputNames = [inputName];
        outputNames = [outputName];
        input = new float[maxBatch * shape.InputLength];
        output = new float[maxBatch * shape.OutputLength];
        inputsByBatch = new OrtValue[maxBatch][];
        outputsByBatch = new OrtValue[maxBatch][];
        for (var batch = 1; batch <= maxBatch; batch++)
        {
            inputsByBatch[batch - 1] =
            [
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, batch * shape.InputLength),
                    shape.InputDimensions(batch)),
            ];
            outputsByBatch[batch - 1] =
            [
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, batch * shape.OutputLength),
                    shape.OutputDimensions(batch)),
            ];
        }
    }

    public string Provider { get; }

    public TileShape Shape { get; }

    public int MaxBatch { get; }

    /// <summary>Bytes of the pinned input and output tensors for <paramref name="batch"/> tiles.</summary>
    public long TensorBytes(int batch) => (long)batch * (Shape.InputLength + Shape.OutputLength) * sizeof(float);

    public Span<float> InputTile(int index) => input.AsSpan(index * Shape.InputLength, Shape.InputLength);

    public ReadOnlySpan<float> OutputTile(int index) => output.AsSpan(index * Shape.OutputLength, Shape.OutputLength);

    public void ClearInput(int batch) => input.AsSpan(0, batch * Shape.InputLength).Clear();

    /// <summary>
    /// Runs the first <paramref name="batch"/> input tiles. Cancelling <paramref name="cancellationToken"/> sets
    /// <see cref="RunOptions.Terminate"/>, which stops the native run; the run then ends in an <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Run(int batch, CancellationToken cancellationToken) =>
        Run(inputsByBatch[batch - 1], outputsByBatch[batch - 1], shrinkArena: false, cancellationToken);

    /// <summary>
    /// Runs a batch of tiles of another shape than the native one; on CPU, one larger than the native batches hands
    /// back the arena memory it took beyond theirs.
    /// </summary>
    public void Run(SizedTiles tiles, CancellationToken cancellationToken) =>
        Run(tiles.Inputs, tiles.Outputs, Provider == SessionFactory.CpuProvider && tiles.InputLength > MaxBatch * Shape.InputLength, cancellationToken);

    private void Run(OrtValue[] inputs, OrtValue[] outputs, bool shrinkArena, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        if (shrinkArena)
        {
            runOptions.AddRunConfigEntry(ArenaShrinkage, CpuArena);
        }

        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            session.Run(runOptions, inputNames, inputs, outputNames, outputs);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The run was terminated.", cancellationToken);
        }
    }

    public void Dispose()
    {
        foreach (var value in inputsByBatch.Concat(outputsByBatch).SelectMany(v => v))
        {
            value.Dispose();
        }

        session.Dispose();
    }
}
