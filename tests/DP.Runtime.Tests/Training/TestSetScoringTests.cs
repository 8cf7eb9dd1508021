using System.Text.Json;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// task.test_file is scored on the kept weights after training and its metrics go to results.json as "test": the
/// accuracy benchmark selects on dev32 (validation_file) and reports val.jsonl (test_file) this way.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class TestSetScoringTests
{
    private static void NoOverrides(ExperimentOptions o, string key, string value) => throw new ArgumentException($"unknown key '{key}'.");

    [Fact]
    public void A_labelled_test_file_is_scored_on_the_kept_weights_and_an_unlabelled_one_is_only_predicted()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-test-set", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        string Lines(int n, int offset, bool labelled) => string.Join("\n", Enumerable.Range(offset, n).Select(i =>
            labelled ? JsonSerializer.Serialize(new { text = $"word{i % 5} film {i}", label = i % 2 == 0 ? "positive" : "negative" })
                     : JsonSerializer.Serialize(new { text = $"word{i % 5} film {i}" })));
        File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(16, 0, true));
        File.WriteAllText(Path.Combine(data, "dev.jsonl"), Lines(4, 100, true));
        File.WriteAllText(Path.Combine(data, "scored.jsonl"), Lines(12, 200, true));
        File.WriteAllText(Path.Combine(data, "blind.jsonl"), Lines(6, 300, false));
        try
        {
            var options = new ExperimentOptions { Name = "test-set" };
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.MaxLength = 16;
            options.Task.DataDir = data;
            options.Task.ValidationFile = "dev.jsonl";
            options.Task.TestFile = "scored.jsonl";
            options.Method = new PromptTuningOptions { PromptLength = 2 };
            options.Training.BatchSize = 8;
            options.Training.EvalBatchSize = 8;
            options.Training.EvalEvery = 1;
            options.Training.CheckpointEvery = 2;
            options.Training.Device = DeviceChoice.Cpu;
            options.Output.Dir = Path.Combine(dir, "runs");
            options.Output.Plots = false;
            options.Output.TensorBoard = false;

            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["--max-steps", "2"], NoOverrides));
            var run = Path.Combine(dir, "runs", "test-set", "run-001");
            using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json"))))
            {
                var test = results.RootElement.GetProperty("test");
                // The test accuracy is the share of the written test predictions that match their gold label.
                var predictions = File.ReadAllLines(Assert.Single(Directory.GetFiles(run, "predictions-*_test.jsonl")))
                    .Select(l => JsonDocument.Parse(l).RootElement).ToList();
                Assert.Equal(12, predictions.Count);
                double share = predictions.Count(p => p.GetProperty("predicted").GetString() == p.GetProperty("gold").GetString()) / 12.0;
                Assert.Equal(share, test.GetProperty("accuracy").GetDouble(), 12);
                Assert.True(results.RootElement.GetProperty("validation").TryGetProperty("accuracy", out _));
            }

            options.Task.TestFile = "blind.jsonl";
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["--max-steps", "2"], NoOverrides));
            var second = Path.Combine(dir, "runs", "test-set", "run-002");
            using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "results.json"))))
                Assert.Equal(JsonValueKind.Null, results.RootElement.GetProperty("test").ValueKind);
            Assert.Equal(6, File.ReadAllLines(Assert.Single(Directory.GetFiles(second, "predictions-*_test.jsonl"))).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
