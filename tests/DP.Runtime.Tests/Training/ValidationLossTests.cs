using System.Text.Json;
using DP.Runtime.Metrics;
using DP.Runtime.Reporting;
using DP.Runtime.Tests.Reporting;
using DP.Runtime.Training.Evaluation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

/// <summary>The validation loss beside the metrics, and best_metric: loss (lower is better).</summary>
[Collection(TorchRngCollection.Name)]
public class ValidationLossTests
{
    [Fact]
    public void EvaluationReportsTheMeanCrossEntropyOfTheLabelledExamples()
    {
        using var h = new TrainingHarness();
        using var model = TrainingHarness.Model();
        using var set = new SyntheticEvaluation(h.Task, batchSize: 7);

        var result = Evaluator.Evaluate(model, set, CPU);

        model.Module.eval();
        using var _ = no_grad();
        double sum = 0;
        foreach (var b in set.Batches)
            sum += nn.functional.cross_entropy(model.Scores(b), b.Labels, reduction: nn.Reduction.Sum).item<float>();
        Assert.Equal(sum / h.Task.Validation.Count, result.Metrics[Evaluator.LossKey], 5);
        Assert.True(result.Metrics.ContainsKey("accuracy"));
    }

    [Fact]
    public void ValidationLossIsLoggedInJsonlCsvAndTensorBoard()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => t.MaxSteps = 20);
        var (_, model) = h.Run(o);
        model.Dispose();
        var run = TrainingHarness.Latest(o);

        var validation = File.ReadAllLines(run.MetricsJsonlPath).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("split").GetString() == "validation").ToList();
        Assert.Equal(2, validation.Count);
        Assert.All(validation, r => Assert.True(r.GetProperty("loss").GetDouble() > 0));

        var csv = File.ReadAllLines(run.MetricsCsvPath);
        int lossColumn = Array.IndexOf(csv[0].Split(','), "loss");
        Assert.All(csv.Where(l => l.Split(',')[1] == "validation"), l => Assert.NotEqual("", l.Split(',')[lossColumn]));

        var tags = Directory.GetFiles(run.TensorBoardDir).SelectMany(TensorBoardLogTests.ReadEvents)
            .Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => v.Tag)).ToHashSet();
        Assert.Contains("validation/loss", tags);
        Assert.Contains("validation/accuracy", tags);
    }

    [Fact]
    public void BestMetricLossKeepsTheStepWithTheLowestValidationLoss()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 30; t.BestMetric = "loss"; });
        var (result, model) = h.Run(o, restoreBest: false);
        model.Dispose();

        var losses = File.ReadAllLines(TrainingHarness.Latest(o).MetricsJsonlPath).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("split").GetString() == "validation")
            .Select(r => (Step: r.GetProperty("step").GetInt64(), Loss: r.GetProperty("loss").GetDouble())).ToList();
        var lowest = losses.MinBy(l => l.Loss);
        Assert.Equal(lowest.Loss, result.BestValue);
        Assert.Equal(lowest.Step, result.BestStep);
    }

    [Fact]
    public void OnlyTheLossIsLowerIsBetter()
    {
        Assert.True(MetricDirection.LowerIsBetter("loss"));
        Assert.False(MetricDirection.LowerIsBetter("accuracy"));
        // A name that merely contains "loss" is not the loss.
        Assert.False(MetricDirection.LowerIsBetter("lossless_accuracy"));
    }
}
