using System.Buffers.Binary;
using System.Text.Json;
using DP.Runtime.Reporting;
using SkiaSharp;
using Xunit;

namespace DP.Runtime.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class RunFolderTests
{
    [Fact]
    public void RunFolderHoldsEveryArtefact()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => t.MaxSteps = 20);
        var (result, model) = h.Run(o);
        model.Dispose();
        var run = TrainingHarness.Latest(o);

        using (var config = JsonDocument.Parse(File.ReadAllText(run.ConfigPath)))
        {
            // In the spec's words: the experiment key, nested groups, choice words.
            Assert.Equal("synthetic", config.RootElement.GetProperty("experiment").GetString());
            Assert.Equal("adamw", config.RootElement.GetProperty("training").GetProperty("optimizer").GetString());
            Assert.Equal(20, config.RootElement.GetProperty("training").GetProperty("max_steps").GetInt32());
        }

        var jsonl = File.ReadAllLines(run.MetricsJsonlPath);
        Assert.Equal(20, jsonl.Count(l => l.Contains("\"split\":\"train\"")));
        Assert.Equal(2, jsonl.Count(l => l.Contains("\"split\":\"validation\"")));
        var csv = File.ReadAllLines(run.MetricsCsvPath);
        Assert.Equal("step,split,accuracy,loss,lr,temperature", csv[0]);
        Assert.Equal(23, csv.Length);

        var events = Directory.GetFiles(run.TensorBoardDir, "events.out.tfevents.*");
        Assert.NotEmpty(events);
        Assert.True(new FileInfo(events[0]).Length > 200, "event file holds the scalars");

        using (var results = JsonDocument.Parse(File.ReadAllText(run.ResultsPath)))
        {
            Assert.Equal(20, results.RootElement.GetProperty("steps").GetInt64());
            Assert.Equal("accuracy", results.RootElement.GetProperty("best_metric").GetString());
            Assert.Equal(result.Validation!["accuracy"], results.RootElement.GetProperty("validation").GetProperty("accuracy").GetDouble());
        }

        var predictions = File.ReadAllLines(run.PredictionsPath("validation"));
        Assert.Equal(h.Task.Validation.Count, predictions.Length);
        using (var first = JsonDocument.Parse(predictions[0]))
        {
            Assert.Equal(h.Task.Validation[0].Key, first.RootElement.GetProperty("key").GetInt64());
            Assert.Contains(first.RootElement.GetProperty("predicted").GetString(), new[] { "low", "high" });
            Assert.Equal(h.Task.Validation[0].Label == 0 ? "low" : "high", first.RootElement.GetProperty("gold").GetString());
        }

        using (var choices = JsonDocument.Parse(File.ReadAllText(run.PromptChoicesPath)))
        {
            Assert.Equal(h.Task.Validation.Count, choices.RootElement.GetProperty("examples").GetInt32());
            int splitTotal = choices.RootElement.GetProperty("split_counts").EnumerateObject().Sum(p => p.Value.GetInt32());
            Assert.Equal(h.Task.Validation.Count, splitTotal);
            int expectedZero = h.Task.Validation.Count(e => e.Ids[0] % 3 == 0);
            Assert.Equal(expectedZero, choices.RootElement.GetProperty("split_counts").GetProperty("0").GetInt32());
        }

        foreach (var png in new[] { run.TrainingPlotPath, run.PromptSplitPlotPath, run.PromptLengthPlotPath })
        {
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            Assert.Equal(TrainingPlots.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
            Assert.Equal(TrainingPlots.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.Equal(TrainingPlots.Width, bitmap.Width);
            Assert.Equal(TrainingPlots.Height, bitmap.Height);
            // Not a blank image: the plot drew something in more than one colour.
            Assert.True(bitmap.Pixels.Distinct().Count() > 2, $"{png} is blank");
        }

        Assert.True(File.Exists(run.BestTrainablePath));
        Assert.True(Directory.Exists(Path.Combine(run.CheckpointsDir, "step-000020")));
    }
}
