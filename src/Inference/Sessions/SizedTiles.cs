using Microsoft.ML.OnnxRuntime;

namespace LiteRestore.Inference;

/// <summary>
/// Input and output tensors for one batch of tiles whose shape is not the session's native one, over rented buffers
/// that go back to the pool when the batch is done.
/// </summary>
internal sealed class SizedTiles : ITileBuffers, IDisposable
{
    private readonly float[] input;
    private readonly float[] output;

    public SizedTiles(TileShape shape, int batch)
    {
        Shape = shape;
        Batch = batch;
        input = PlaneArrays.Rent<float>(batch * shape.InputLength);
        output = PlaneArrays.Rent<float>(batch * shape.OutputLength);
        Inputs = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, batch * shape.InputLength), shape.InputDimensions(batch))];
        Outputs = [OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output.AsMemory(0, batch * shape.OutputLength), shape.OutputDimensions(batch))];
    }

    public TileShape Shape { get; }

    public int Batch { get; }

    /// <summary>Floats of the whole batch's input.</summary>
    public int InputLength => Batch * Shape.InputLength;

    public OrtValue[] Inputs { get; }

    public OrtValue[] Outputs { get; }

    public Span<float> InputTile(int index) => input.AsSpan(index * Shape.InputLength, Shape.InputLength);

    public ReadOnlySpan<float> OutputTile(int index) => output.AsSpan(index * Shape.OutputLength, Shape.OutputLength);

    public void Dispose()
    {
        Inputs[0].Dispose();
        Outputs[0].Dispose();
        PlaneArrays.Return(input);
        PlaneArrays.Return(output);
    }
}
