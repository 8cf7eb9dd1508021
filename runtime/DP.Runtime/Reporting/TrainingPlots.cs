using DP.Runtime.Metrics;
using DP.Runtime.Training.Evaluation;
using ScottPlot;

namespace DP.Runtime.Reporting;

/// <summary>PNG plots of a run (ScottPlot, rendered by SkiaSharp; works headless). Legends sit below the data.</summary>
public static class TrainingPlots
{
    public const int Width = 900, Height = 540;

    public static void TrainingCurves(IReadOnlyList<MetricsRecord> records, string metric, string validationSplit, string path) =>
        BuildTrainingCurves(records, metric, validationSplit).SavePng(path, Width, Height);

    /// <summary>
    /// Training loss and validation loss (left axis) and the validation metric (right axis) over steps. A task metric
    /// (a fraction) gets the axis 0…1; a loss chosen as best_metric is already on the left axis.
    /// </summary>
    public static Plot BuildTrainingCurves(IReadOnlyList<MetricsRecord> records, string metric, string validationSplit)
    {
        var plot = new Plot();
        Line(plot, records.Where(r => r.Split == "train"), Evaluator.LossKey, "training loss");
        Line(plot, records.Where(r => r.Split == validationSplit), Evaluator.LossKey, $"{validationSplit} loss");
        var m = MetricDirection.LowerIsBetter(metric) ? null
            : Line(plot, records.Where(r => r.Split == validationSplit), metric, $"{validationSplit} {metric}");
        if (m is not null)
        {
            m.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = $"{validationSplit} {metric}";
        }
        plot.Axes.AutoScale();
        if (m is not null) plot.Axes.SetLimitsY(0, 1, plot.Axes.Right);
        plot.Title("Training");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static ScottPlot.Plottables.Scatter? Line(Plot plot, IEnumerable<MetricsRecord> records, string key, string label)
    {
        var points = records.Where(r => r.Values.TryGetValue(key, out var v) && double.IsFinite(v)).ToList();
        if (points.Count == 0) return null;
        var line = plot.Add.Scatter(points.Select(r => (double)r.Step).ToArray(), points.Select(r => r.Values[key]).ToArray());
        line.LegendText = label;
        line.MarkerSize = points.Count == 1 ? 5 : 0;
        return line;
    }

    public static void Histogram(IReadOnlyDictionary<int, int> counts, int max, string title, string xLabel, string path) =>
        BuildHistogram(counts, max, title, xLabel).SavePng(path, Width, Height);

    /// <summary>A bar histogram of the integers 0…<paramref name="max"/> with a tick at each, so unchosen values show as gaps.</summary>
    public static Plot BuildHistogram(IReadOnlyDictionary<int, int> counts, int max, string title, string xLabel)
    {
        var plot = new Plot();
        if (counts.Count > 0)
        {
            var keys = counts.Keys.Order().ToArray();
            plot.Add.Bars(keys.Select(k => (double)k).ToArray(), keys.Select(k => (double)counts[k]).ToArray());
        }
        int top = Math.Max(max, counts.Count > 0 ? counts.Keys.Max() : 0);
        var ticks = Enumerable.Range(0, top + 1).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            ticks.Select(t => (double)t).ToArray(), ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(-0.5, top + 0.5);
        plot.Axes.SetLimitsY(0, Math.Max(1, counts.Count > 0 ? counts.Values.Max() : 0) * 1.05);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("examples");
        return plot;
    }
}
