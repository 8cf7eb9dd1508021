using System.Text.Json;
using DP.Runtime.Experiments;
using DP.Runtime.Reporting;
using Xunit;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// Run-folder artefacts through the command line on the packaged MiniLM: the PEFT adapter (end of train, export-peft)
/// and the prompt-choice plots (only for methods that choose).
/// </summary>
[Collection(TorchRngCollection.Name)]
public class RunArtefactCliTests
{
    private static void NoOverrides(ExperimentOptions o, string key, string value) => throw new ArgumentException($"unknown key '{key}'.");

    private static ExperimentOptions Options(string dir, MethodKind method)
    {
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
            JsonSerializer.Serialize(new { text = i % 2 == 0 ? "a wonderful film" : "a terrible film", label = i % 2 == 0 ? "positive" : "negative" })));
        File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(8));
        File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(4));
        var options = new ExperimentOptions { Name = "peft-cli" };
        options.Task.Kind = DataKind.Custom;
        options.Task.Fields = ["text"];
        options.Task.MaxLength = 16;
        options.Task.DataDir = data;
        options.Method = MethodOptions.Create(method); // each method's defaults: dynamic prompting chooses the position per instance
        if (options.Method is SoftPromptOptions soft) soft.PromptLength = 2;
        options.Training.BatchSize = 4;
        options.Training.EvalBatchSize = 4;
        options.Training.EvalEvery = 2;
        options.Training.CheckpointEvery = 2;
        options.Training.MaxSteps = 2;
        options.Training.Device = DeviceChoice.Cpu;
        options.Output.Dir = Path.Combine(dir, "runs");
        options.Output.Plots = false;
        options.Output.TensorBoard = false;
        return options;
    }

    [Fact]
    public void TrainWritesThePeftAdapterAndExportPeftRewritesItFromTheKeptWeights()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-peft-cli", Guid.NewGuid().ToString("N"));
        try
        {
            var options = Options(dir, MethodKind.Prefix);
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, [], NoOverrides));
            var peft = ExperimentFolder.For(options).LatestRun()!.PeftDir;
            using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(peft, "adapter_config.json"))))
            {
                Assert.Equal("PREFIX_TUNING", config.RootElement.GetProperty("peft_type").GetString());
                Assert.Equal("minilm-l6", config.RootElement.GetProperty("base_model_name_or_path").GetString());
            }
            var trained = File.ReadAllBytes(Path.Combine(peft, "adapter_model.safetensors"));

            Directory.Delete(peft, recursive: true);
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(Options(dir, MethodKind.Prefix), ["export-peft"], NoOverrides));
            Assert.Equal(trained, File.ReadAllBytes(Path.Combine(peft, "adapter_model.safetensors")));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData(MethodKind.FineTune, false, false)]
    [InlineData(MethodKind.Prompt, false, false)]
    [InlineData(MethodKind.Dynamic, true, false)] // position: instance, length: fixed
    public void PromptChoicePlotsOnlyForWhatTheMethodChooses(MethodKind method, bool splits, bool lengths)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-peft-cli", Guid.NewGuid().ToString("N"));
        try
        {
            var options = Options(dir, method);
            options.Output.Plots = true;
            Assert.Equal(ExperimentCli.Ok, ExperimentCli.Run(options, [], NoOverrides));
            var run = ExperimentFolder.For(options).LatestRun()!;
            Assert.True(File.Exists(run.TrainingPlotPath));
            Assert.Equal(splits || lengths, File.Exists(run.PromptChoicesPath));
            Assert.Equal(splits, File.Exists(run.PromptSplitPlotPath));
            Assert.Equal(lengths, File.Exists(run.PromptLengthPlotPath));
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void ExportPeftOfAModelPeftCannotRebuildFailsAndWritesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-peft-cli", Guid.NewGuid().ToString("N"));
        try
        {
            var options = Options(dir, MethodKind.Prompt); // prompt tuning on the packaged BERT-family MiniLM
            Assert.Equal(ExperimentCli.Failed, ExperimentCli.Run(options, ["export-peft"], NoOverrides));
            Assert.Null(ExperimentFolder.For(options).LatestRun()); // no run folder, hence no PEFT folder
            Assert.Equal(CliVerb.ExportPeft, CliArguments.Parse(["export-peft", "--resume", "ckpt"]).Verb);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
