using System.Text.Json;

namespace DP.Sdk.Tests;

/// <summary>The steps the C# and F# end-to-end tests share: train a scaffolded sample project, predict without its data.</summary>
public static class SampleExperiment
{
    /// <summary>dotnet build, then 20 training steps: the sample data written, the run folder's results there.</summary>
    public static void BuildAndTrain(string project)
    {
        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = DotNetCli.Run(project, TimeSpan.FromMinutes(20), "run", "--no-build", "--", "train", "--max-steps", "20");
        Assert.True(run.ExitCode == 0, run.ToString());

        // The sample task wrote its own data, and the run folder holds the final results.
        Assert.Equal(400, File.ReadLines(Path.Combine(project, "data", "train.jsonl")).Count());
        var resultsPath = Path.Combine(project, "runs", "sentiment", "run-001", "results.json");
        Assert.True(File.Exists(resultsPath), $"no {resultsPath}; program output:\n{run.Output}");
        var results = JsonDocument.Parse(File.ReadAllText(resultsPath)).RootElement;
        Assert.Equal(20, results.GetProperty("steps").GetInt32());
        var accuracy = results.GetProperty("validation").GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.0, 1.0);
        Assert.True(File.Exists(Path.Combine(project, "runs", "sentiment", "run-001", "metrics.jsonl")));
    }

    /// <summary>
    /// The user's own program file (prints "prediction LABEL P sum=S" per input) replaces the scaffolded one, the data
    /// folder is moved away, and `predict-demo` must label both inputs from the trained run alone.
    /// </summary>
    public static void PredictFromUserCode(string project, string programFile, string program)
    {
        File.WriteAllText(Path.Combine(project, programFile), program);
        Directory.Move(Path.Combine(project, "data"), Path.Combine(project, "data-moved"));
        var rebuild = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        var predict = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "run", "--no-build", "--", "predict-demo");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var lines = predict.Output.Split('\n').Where(l => l.StartsWith("prediction ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^prediction (Positive|Negative) [01]\.\d{3} sum=1\.000", l.Trim()));
    }
}
