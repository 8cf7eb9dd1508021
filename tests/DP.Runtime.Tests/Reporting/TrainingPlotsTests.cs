using DP.Runtime.Reporting;
using ScottPlot.TickGenerators;
using Xunit;

namespace DP.Runtime.Tests.Reporting;

public class TrainingPlotsTests
{
    [Fact]
    public void HistogramTicksEveryIntegerFromZeroToThePromptLength()
    {
        // Split points 1 and 3 never chosen: they must still be on the axis.
        var plot = TrainingPlots.BuildHistogram(new Dictionary<int, int> { [0] = 3, [2] = 5, [4] = 1 }, max: 4, "t", "split point");

        plot.RenderInMemory(TrainingPlots.Width, TrainingPlots.Height); // the ticks the rendered image shows
        var ticks = Assert.IsType<NumericManual>(plot.Axes.Bottom.TickGenerator).Ticks;
        Assert.Equal([0.0, 1, 2, 3, 4], ticks.Select(t => t.Position));
        Assert.Equal(["0", "1", "2", "3", "4"], ticks.Select(t => t.Label));
        var limits = plot.Axes.GetLimits();
        Assert.Equal((-0.5, 4.5), (limits.Left, limits.Right));
        Assert.Equal(0, limits.Bottom);
        // Nothing chosen beyond n, and a length-0 prompt still spans 0…n.
        Assert.Equal(3, TrainingPlots.BuildHistogram(new Dictionary<int, int> { [0] = 7 }, max: 2, "t", "x").Axes.GetLimits().Right + 0.5);
    }

    [Fact]
    public void TrainingCurvesKeepTheMetricAxisWithinZeroToOneAndTheLegendOffTheData()
    {
        var records = new List<MetricsRecord>();
        for (int step = 1; step <= 20; step++)
            records.Add(new MetricsRecord(step, "train", new Dictionary<string, double> { ["loss"] = 2.0 / step }));
        records.Add(new MetricsRecord(10, "validation", new Dictionary<string, double> { ["accuracy"] = 0.7, ["loss"] = 0.6 }));
        records.Add(new MetricsRecord(20, "validation", new Dictionary<string, double> { ["accuracy"] = 0.9, ["loss"] = 0.4 }));

        var plot = TrainingPlots.BuildTrainingCurves(records, "accuracy", "validation");
        plot.RenderInMemory(TrainingPlots.Width, TrainingPlots.Height);

        var right = plot.Axes.GetLimits(plot.Axes.Bottom, plot.Axes.Right);
        Assert.Equal((0.0, 1.0), (right.Bottom, right.Top));
        var left = plot.Axes.GetLimits(plot.Axes.Bottom, plot.Axes.Left);
        Assert.True(left.Bottom <= 0.1 && left.Top >= 2.0, $"loss axis {left.Bottom}…{left.Top}");
        Assert.False(plot.Legend.IsVisible, "the legend is drawn in its own panel below the data, not over it");
        Assert.Equal(["training loss", "validation loss", "validation accuracy"],
            plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText));
    }
}
