namespace LiteRestore.LoadTest.Reports;

/// <summary>One line: <paramref name="Dash"/> is an SVG stroke-dasharray (empty: solid), so that lines that coincide stay apart to the eye.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<ChartPoint> Points, string Dash = "");
