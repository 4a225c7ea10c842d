namespace LiteRestore.LoadTest.Reports;

internal sealed record ChartPoint(double X, double Y, string Label);
