using System.Text.Json.Nodes;
using DP.Runtime.Data.Examples;
using DP.Runtime.Reporting;

namespace DP.Runtime.Prediction;

/// <summary>
/// Writes labelled inputs as JSON lines in input order: the record's SuperGLUE <c>idx</c> and the predicted
/// <c>label</c> (the fields a leaderboard submission reads), or the input line for custom data, plus every class's
/// probability. A new file per input file; an earlier one is never overwritten (a numbered name is taken instead).
/// </summary>
public static class PredictionFile
{
    public static string Write(RunFolder run, string experiment, string inputPath, IReadOnlyList<TaskExample> examples, IReadOnlyList<LabelPrediction> predictions)
    {
        if (examples.Count != predictions.Count) throw new ArgumentException("one prediction per example");
        var stem = RunFolder.SafeName(Path.GetFileNameWithoutExtension(inputPath));
        var path = FreePath(run.Root, $"predictions-{RunFolder.SafeName(experiment)}_{stem}");
        var temp = path + $".tmp-{Environment.ProcessId}";
        using (var w = new StreamWriter(temp))
        {
            for (var i = 0; i < examples.Count; i++) w.WriteLine(Line(examples[i], predictions[i]).ToJsonString());
        }
        File.Move(temp, path);
        return path;
    }

    private static JsonObject Line(TaskExample example, LabelPrediction prediction)
    {
        var line = new JsonObject();
        if (example.Idx is { } idx) line["idx"] = idx.DeepClone();
        else line["line"] = example.Source.Line;
        line["label"] = prediction.Label;
        var probabilities = new JsonObject();
        foreach (var (label, p) in prediction.Probabilities) probabilities[label] = Math.Round(p, 6);
        line["probabilities"] = probabilities;
        return line;
    }

    private static string FreePath(string folder, string name)
    {
        var path = Path.Combine(folder, name + ".jsonl");
        for (var n = 2; File.Exists(path); n++) path = Path.Combine(folder, $"{name}-{n}.jsonl");
        return path;
    }
}
