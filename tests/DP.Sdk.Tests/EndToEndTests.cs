namespace DP.Sdk.Tests;

/// <summary>The user's path: dotnet new → dotnet build → dotnet run, on the packed SDK, runtime and templates.</summary>
[Collection(PackedSdkCollection.Name)]
public sealed class EndToEndTests(PackedSdkFixture sdk)
{
    [Fact]
    public void Scaffolded_experiment_builds_trains_and_writes_results_with_metrics()
    {
        var project = sdk.NewExperiment("Sentiment");

        SampleExperiment.BuildAndTrain(project);

        // The trained prompt from the user's own Program.cs, as docs/training.md shows it: the generated typed
        // predictor, new text in, the label enum and probabilities out, the data folder not needed.
        SampleExperiment.PredictFromUserCode(project, "Program.cs", UserProgram);
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
