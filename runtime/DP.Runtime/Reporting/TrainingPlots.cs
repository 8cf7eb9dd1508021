using ScottPlot;

namespace DP.Runtime.Reporting;

/// <summary>PNG plots of a run (ScottPlot, rendered by SkiaSharp; works headless).</summary>
public static class TrainingPlots
{
    public const int Width = 900, Height = 540;

    /// <summary>Training loss (left axis) and the validation metric (right axis) over steps.</summary>
    public static void TrainingCurves(IReadOnlyList<MetricsRecord> records, string metric, string validationSplit, string path)
    {
        var plot = new Plot();
        var train = records.Where(r => r.Split == "train" && r.Values.ContainsKey("loss") && double.IsFinite(r.Values["loss"])).ToList();
        if (train.Count > 0)
        {
            var loss = plot.Add.Scatter(train.Select(r => (double)r.Step).ToArray(), train.Select(r => r.Values["loss"]).ToArray());
            loss.LegendText = "training loss";
            loss.MarkerSize = 0;
        }
        var eval = records.Where(r => r.Split == validationSplit && r.Values.ContainsKey(metric)).ToList();
        if (eval.Count > 0)
        {
            var m = plot.Add.Scatter(eval.Select(r => (double)r.Step).ToArray(), eval.Select(r => r.Values[metric]).ToArray());
            m.LegendText = $"{validationSplit} {metric}";
            m.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = $"{validationSplit} {metric}";
        }
        plot.Title("Training");
        plot.XLabel("step");
        plot.YLabel("training loss");
        plot.ShowLegend();
        plot.SavePng(path, Width, Height);
    }

    /// <summary>A bar histogram of integer values (e.g. chosen split points).</summary>
    public static void Histogram(IReadOnlyDictionary<int, int> counts, string title, string xLabel, string path)
    {
        var plot = new Plot();
        if (counts.Count > 0)
        {
            var keys = counts.Keys.Order().ToArray();
            plot.Add.Bars(keys.Select(k => (double)k).ToArray(), keys.Select(k => (double)counts[k]).ToArray());
        }
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("examples");
        plot.SavePng(path, Width, Height);
    }
}
