namespace LiteRestore.LoadTest.Load;

/// <summary>The samples of one phase, added from many requests at once and read by the live progress.</summary>
internal sealed class SampleRecorder
{
    private readonly List<RequestSample> samples = [];
    private readonly Lock gate = new();

    public void Add(RequestSample sample)
    {
        lock (gate)
        {
            samples.Add(sample);
        }
    }

    public IReadOnlyList<RequestSample> Snapshot()
    {
        lock (gate)
        {
            return [.. samples];
        }
    }
}
