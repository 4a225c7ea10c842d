using System.Globalization;
using System.Xml.Linq;

namespace LiteRestore.LoadTest.Reports;

/// <summary>
/// A hand-written SVG line chart: gridded axes from zero with round ticks, titles, point labels and a legend. A point
/// label that would fall on one already drawn is left out: points of several lines at one load level share it.
/// </summary>
internal static class LineChart
{
    private const int Width = 760;
    private const int Height = 460;
    private const int MarginLeft = 80;
    private const int MarginRight = 190;
    private const int MarginTop = 50;
    private const int MarginBottom = 64;
    private const int TargetTicks = 6;
    private const int TickLength = 5;
    private const int LegendRowHeight = 22;
    private const double MarkerRadius = 3.5;
    private const int PlotRight = Width - MarginRight;
    private const int PlotBottom = Height - MarginBottom;
    private const string Font = "font-family:sans-serif;font-size:12px";

    /// <summary>Labels closer than this (px, in both directions) to one already drawn would overlap it.</summary>
    private const double LabelClearance = 14;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static string Render(string title, string xTitle, string yTitle, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(line => line.Points).ToList();
        var xTicks = AxisTicks.From0To(points.Select(point => point.X).DefaultIfEmpty().Max(), TargetTicks);
        var yTicks = AxisTicks.From0To(points.Select(point => point.Y).DefaultIfEmpty().Max(), TargetTicks);
        var plot = new Plot(xTicks[^1], yTicks[^1]);

        var root = new XElement(Svg + "svg",
            new XAttribute("width", Width), new XAttribute("height", Height),
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("style", Font),
            new XElement(Svg + "rect", new XAttribute("width", Width), new XAttribute("height", Height), new XAttribute("fill", "white")),
            Text(Width / 2.0, MarginTop / 2.0, title, "middle", new XAttribute("style", "font-size:15px;font-weight:bold")));

        AddAxes(root, plot, xTicks, yTicks, xTitle, yTitle);

        var labels = new List<(double X, double Y)>();
        for (var index = 0; index < series.Count; index++)
        {
            root.Add(Series(series[index], plot, labels), Legend(series[index], PlotRight + 20, MarginTop + 10 + (index * LegendRowHeight)));
        }

        return new XDocument(root).ToString();
    }

    /// <summary>The grid, the ticks and their values, and both axes with their titles.</summary>
    private static void AddAxes(XElement root, Plot plot, IReadOnlyList<double> xTicks, IReadOnlyList<double> yTicks, string xTitle, string yTitle)
    {
        foreach (var tick in xTicks)
        {
            var x = plot.X(tick);
            root.Add(Line(x, MarginTop, x, PlotBottom, "#e4e4e4"), Line(x, PlotBottom, x, PlotBottom + TickLength, "black"),
                Text(x, PlotBottom + TickLength + 14, Format(tick), "middle"));
        }

        foreach (var tick in yTicks)
        {
            var y = plot.Y(tick);
            root.Add(Line(MarginLeft, y, PlotRight, y, "#e4e4e4"), Line(MarginLeft - TickLength, y, MarginLeft, y, "black"),
                Text(MarginLeft - TickLength - 4, y + 4, Format(tick), "end"));
        }

        root.Add(
            Line(MarginLeft, PlotBottom, PlotRight, PlotBottom, "black"),
            Line(MarginLeft, MarginTop, MarginLeft, PlotBottom, "black"),
            Text((MarginLeft + PlotRight) / 2.0, Height - 16, xTitle, "middle"),
            Text(0, 0, yTitle, "middle", new XAttribute("transform", $"translate(20 {Format((MarginTop + PlotBottom) / 2.0)}) rotate(-90)")));
    }

    private static XElement Series(ChartSeries series, Plot plot, List<(double X, double Y)> labels)
    {
        var group = new XElement(Svg + "g", new XAttribute("fill", series.Color), new XAttribute("stroke", series.Color));
        group.Add(new XElement(Svg + "polyline",
            new XAttribute("fill", "none"), new XAttribute("stroke-width", 2), Dash(series.Dash),
            new XAttribute("points", string.Join(" ", series.Points.Select(point => $"{Format(plot.X(point.X))},{Format(plot.Y(point.Y))}")))));
        foreach (var point in series.Points)
        {
            var (x, y) = (plot.X(point.X), plot.Y(point.Y));
            group.Add(new XElement(Svg + "circle",
                new XAttribute("cx", Format(x)), new XAttribute("cy", Format(y)), new XAttribute("r", MarkerRadius),
                new XElement(Svg + "title", $"{series.Name} {point.Label}: {Format(point.X)} req/s, {Format(point.Y)} ms")));
            if (!labels.Any(label => Math.Abs(label.X - x) < LabelClearance && Math.Abs(label.Y - y) < LabelClearance))
            {
                labels.Add((x, y));
                group.Add(Text(x + 6, y - 6, point.Label, "start", new XAttribute("stroke", "none")));
            }
        }

        return group;
    }

    private static XElement Legend(ChartSeries series, double x, double y) =>
        new(Svg + "g",
            Line(x, y, x + 24, y, series.Color, strokeWidth: 2, dash: series.Dash),
            Text(x + 30, y + 4, series.Name, "start"));

    private static XElement Line(double x1, double y1, double x2, double y2, string color, int strokeWidth = 1, string dash = "") =>
        new(Svg + "line",
            new XAttribute("x1", Format(x1)), new XAttribute("y1", Format(y1)), new XAttribute("x2", Format(x2)), new XAttribute("y2", Format(y2)),
            new XAttribute("stroke", color), new XAttribute("stroke-width", strokeWidth), Dash(dash));

    private static XAttribute? Dash(string dash) => dash.Length == 0 ? null : new XAttribute("stroke-dasharray", dash);

    private static XElement Text(double x, double y, string text, string anchor, params XAttribute[] attributes) =>
        new(Svg + "text", new XAttribute("x", Format(x)), new XAttribute("y", Format(y)), new XAttribute("text-anchor", anchor), attributes, text);

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Maps data values into the plotting area; both axes start at zero.</summary>
    private sealed record Plot(double XMax, double YMax)
    {
        public double X(double value) => MarginLeft + (value / XMax * (PlotRight - MarginLeft));

        public double Y(double value) => PlotBottom - (value / YMax * (PlotBottom - MarginTop));
    }
}
