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
    }

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
