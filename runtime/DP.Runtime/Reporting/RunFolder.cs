using System.Text.Json;
using System.Text.Json.Nodes;
using DP.Runtime.Data;
using DP.Runtime.Experiments;
using DP.Runtime.Training.Evaluation;

namespace DP.Runtime.Reporting;

/// <summary>
/// The folder of one training run, <c>OutputOptions.Dir/&lt;experiment name&gt;/run-NNN/</c> (see
/// <see cref="ExperimentFolder"/>), and the names of what it holds.
/// </summary>
public sealed class RunFolder
{
    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public const string CheckpointsFolder = "checkpoints";

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.json");
    public string MetricsJsonlPath => Path.Combine(Root, "metrics.jsonl");
    public string MetricsCsvPath => Path.Combine(Root, "metrics.csv");
    public string TensorBoardDir => Path.Combine(Root, "tensorboard");
    public string ResultsPath => Path.Combine(Root, "results.json");
    public string PredictionsPath(string set) => Path.Combine(Root, $"predictions-{SafeName(set)}.jsonl");
    public string TrainingPlotPath => Path.Combine(Root, "training.png");
    public string PromptChoicesPath => Path.Combine(Root, "prompt_choices.json");
    public string PromptSplitPlotPath => Path.Combine(Root, "prompt_splits.png");
    public string PromptLengthPlotPath => Path.Combine(Root, "prompt_lengths.png");
    public string CheckpointsDir => Path.Combine(Root, CheckpointsFolder);
    /// <summary>The best model's trainable weights (safetensors, by module name) and its extra state.</summary>
    public string BestDir => Path.Combine(Root, "best");
    public string BestTrainablePath => Path.Combine(BestDir, "trainable.safetensors");
    /// <summary>Where runs written before 2026-12-02 kept the same safetensors bytes; still read.</summary>
    public string LegacyBestTrainablePath => Path.Combine(BestDir, "trainable.bin");
    public string BestStatePath => Path.Combine(BestDir, "state.json");
    /// <summary>The kept weights as a Hugging Face PEFT adapter (adapter_config.json, adapter_model.safetensors), where PEFT can rebuild the model.</summary>
    public string PeftDir => Path.Combine(Root, "peft");

    /// <summary>The run's resolved configuration, in the spec's keys and words (a spec that builds this experiment).</summary>
    public void WriteConfig(ExperimentOptions options) => File.WriteAllText(ConfigPath, SpecDocument.Write(options));

    public void WritePredictions(EvaluationResult result, IEvaluationSet set)
    {
        using var w = new StreamWriter(PredictionsPath(result.SetName));
        foreach (var p in result.Predictions)
        {
            var o = new JsonObject
            {
                ["key"] = p.Key,
                ["predicted"] = set.LabelName(p.Predicted),
                ["gold"] = p.Gold >= 0 ? set.LabelName(p.Gold) : null,
            };
            w.WriteLine(o.ToJsonString());
        }
    }

    public void WriteResults(object results) =>
        File.WriteAllText(ResultsPath, JsonSerializer.Serialize(results, ReportJson.Indented));

    /// <summary>A name usable as a folder name on every platform.</summary>
    public static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var s = new string(name.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray());
        return string.IsNullOrEmpty(s) || s is "." or ".." ? "experiment" : s;
    }
}
