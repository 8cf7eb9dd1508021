using System.Text.Json;

namespace DP.Sdk.Tests;

/// <summary>The user's path: dotnet new → dotnet build → dotnet run, on the packed SDK, runtime and templates.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class EndToEndTests(PackedSdkFixture sdk)
{
    [Fact]
    public void Scaffolded_experiment_builds_trains_and_writes_results_with_metrics()
    {
        var project = sdk.NewExperiment("Sentiment");

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

        // The trained prompt from the user's own Program.cs, as docs/training.md shows it: the generated typed
        // predictor, new text in, the label enum and probabilities out, the data folder not needed.
        File.WriteAllText(Path.Combine(project, "Program.cs"), UserProgram);
        Directory.Move(Path.Combine(project, "data"), Path.Combine(project, "data-moved"));
        var rebuild = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        var predict = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "run", "--no-build", "--", "predict-demo");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var lines = predict.Output.Split('\n').Where(l => l.StartsWith("prediction ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Matches(@"^prediction (Positive|Negative) [01]\.\d{3} sum=1\.000", l.Trim()));
    }

    // docs/training.md, "Predicting from your own code": keep the two in step.
    private const string UserProgram = """
        using Sentiment;

        if (args is ["predict-demo"])
        {
            using var predictor = SentimentExperiment.LoadPredictor();   // latest run, best weights
            var inputs = new[] { new SentimentInput("a wonderful and moving film"), new SentimentInput("a dull, tedious mess") };
            foreach (var p in predictor.Predict(inputs))                  // in input order
                Console.WriteLine($"prediction {p.Label} {p.Probabilities[p.Label]:0.000} sum={p.Probabilities.Values.Sum():0.000}");
            return 0;
        }
        return SentimentExperiment.Run(args);
        """;

    [Fact]
    public void CsvHelper_source_generator_does_not_reach_the_compiler_unless_asked_for()
    {
        var project = sdk.NewExperiment("Lean");
        var restore = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "restore", "-nologo");
        Assert.True(restore.ExitCode == 0, restore.ToString());

        // The analyzers the compiler would get: what ResolveLockFileAnalyzers (and the SDK's target after it) leaves.
        List<string> Analyzers(params string[] properties) =>
            MsBuildEvaluation.AfterTarget(project, "ResolveLockFileAnalyzers", ["Analyzer"], properties)
                .Items("Analyzer").Select(i => Path.GetFileName(i["FullPath"])).ToList();

        var lean = Analyzers();
        Assert.Contains("DP.Generators.dll", lean);
        Assert.DoesNotContain("CsvHelper.Generators.dll", lean);
        Assert.Contains("CsvHelper.Generators.dll", Analyzers("DpKeepTransitiveCsvHelperGenerator=true"));
    }
}
