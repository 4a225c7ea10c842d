namespace LiteRestore.LoadTest.Load;

/// <summary>The samples of one phase, added from many requests at once and read by the live progress.</summary>
internal sealed class SampleRecorder
{
    private readonly List<RequestSample> _samples = [];
    private readonly Lock _gate = new();

    public void Add(RequestSample sample)
    {
        lock (_gate)
        {
            _samples.Add(sample);
        }
    }

    public IReadOnlyList<RequestSample> Snapshot()
    {
        lock (_gate)
        {
            return [.. _samples];
        }
    }
}
