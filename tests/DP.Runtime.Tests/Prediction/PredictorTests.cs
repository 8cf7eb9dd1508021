using System.Text.Json;
using DP.Runtime.Data.Batching;
using DP.Runtime.Experiments;
using DP.Runtime.Prediction;
using DP.Runtime.Tests.Training;
using Xunit;

namespace DP.Runtime.Tests.Prediction;

/// <summary>A trained run labels new text from the options alone, as the command line's eval scored it.</summary>
[Collection(TorchRngCollection.Name)]
public class PredictorTests
{
    private static readonly string[] Good = ["a wonderful film", "great acting and a lovely story", "i loved it", "superb and moving"];
    private static readonly string[] Bad = ["a terrible film", "boring and far too long", "i hated it", "awful acting"];

    private static void NoOverrides(ExperimentOptions o, string key, string value) => throw new ArgumentException($"unknown key '{key}'.");

    [Fact]
    public void A_trained_run_predicts_new_inputs_without_its_data_files_in_input_order()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-predictor-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var validation = Enumerable.Range(0, 8).Select(i => (Text: i % 2 == 0 ? Good[i / 2 % 4] : Bad[i / 2 % 4], Label: i % 2 == 0 ? "positive" : "negative")).ToList();
        File.WriteAllLines(Path.Combine(data, "train.jsonl"), validation.Concat(validation).Select(v => JsonSerializer.Serialize(new { text = v.Text, label = v.Label })));
        File.WriteAllLines(Path.Combine(data, "val.jsonl"), validation.Select(v => JsonSerializer.Serialize(new { text = v.Text, label = v.Label })));
        try
        {
            var options = new ExperimentOptions { Name = "predictor" };
            options.Task.Kind = DataKind.Custom;
            options.Task.Fields = ["text"];
            options.Task.Labels = [new LabelWord("positive", "great"), new LabelWord("negative", "terrible")];
            options.Task.MaxLength = 16;
            options.Task.DataDir = data;
            options.Method = new DynamicPromptingOptions { PromptLength = 4 };
            options.Training.BatchSize = 8;
            options.Training.EvalBatchSize = 3; // several batches, sorted by length: order must still come back
            options.Training.EvalEvery = 2;
            options.Training.Device = DeviceChoice.Cpu;
            options.Output.Dir = Path.Combine(dir, "runs");
            options.Output.Plots = false;
            options.Output.TensorBoard = false;
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["--max-steps", "4"], NoOverrides));
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["eval"], NoOverrides));
            var run = Path.Combine(dir, "runs", "predictor", "run-001");
            var evaluated = File.ReadAllLines(Path.Combine(run, "predictions-predictor_validation.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement)
                .ToDictionary(e => e.GetProperty("key").GetInt64(), e => e.GetProperty("predicted").GetString());

            Directory.Delete(data, recursive: true); // the predictor must not need them
            using var predictor = Predictor.Load(options);
            Assert.Equal(["positive", "negative"], predictor.Labels);
            Assert.Equal(["text"], predictor.Fields);
            Assert.EndsWith("trainable.safetensors", predictor.Weights);

            var inputs = validation.Select(v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["text"] = v.Text }).ToList();
            var batch = predictor.Predict(inputs);
            for (var i = 0; i < inputs.Count; i++)
                Assert.Equal(evaluated[EncodedExample.MakeKey(0, i, DataSplit.Validation)], batch[i].Label);
            Assert.All(batch, p => Assert.Equal(1.0, p.Probabilities.Sum(kv => kv.Value), 5));

            var reversed = predictor.Predict(Enumerable.Reverse(inputs));
            var one = predictor.Predict(inputs[5]);
            Assert.Equal(batch.Select(p => p.Label).Reverse(), reversed.Select(p => p.Label));
            // A tolerance, not rounding to 5 places: a batch of one pads differently, and an ulp on either side of
            // a rounding boundary (0.4807349… vs 0.4807350…) would fail a rounded comparison.
            Assert.Equal(batch[5].Probability("positive"), one.Probability("positive"), tolerance: 1e-5);

            // The command line's predict takes the same path: only an input file, lines kept in order, scores written.
            var input = Path.Combine(dir, "new.jsonl");
            File.WriteAllLines(input, inputs.Select(i => JsonSerializer.Serialize(new { text = i["text"] })));
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["predict", "--input", input], NoOverrides));
            var lines = File.ReadAllLines(Path.Combine(run, "predictions-predictor_new.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(batch.Select(p => p.Label), lines.Select(l => l.GetProperty("label").GetString()));
            Assert.Equal(Enumerable.Range(1, inputs.Count), lines.Select(l => l.GetProperty("line").GetInt32()));
            Assert.Equal(batch[0].Probability("negative"), lines[0].GetProperty("probabilities").GetProperty("negative").GetDouble(), tolerance: 1e-5);
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, ["predict", "--input", input], NoOverrides));
            Assert.True(File.Exists(Path.Combine(run, "predictions-predictor_new-2.jsonl")), "a second predict keeps the first file");

            var missing = Assert.Throws<ArgumentException>(() => predictor.Predict(new Dictionary<string, string> { ["txt"] = "x" }));
            Assert.Contains("input 1: missing field text", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
