namespace LiteRestore.Benchmarks;

/// <summary>Tiles per second over many windows.</summary>
internal sealed class Throughput
{
    private double tiles;
    private double seconds;

    public double PerSecond => tiles / seconds;

    public void Add(Window window)
    {
        tiles += window.Tiles;
        seconds += window.Length.TotalSeconds;
    }
}
