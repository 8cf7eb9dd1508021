using System.Text.RegularExpressions;

namespace DP.Sdk.Tests;

/// <summary>
/// The F# user's path on the same packed SDK, runtime and templates: dotnet new -lang F# → dotnet build →
/// dotnet run, the typed predictor from F#, and a spec mistake failing the F# build at its line.
/// </summary>
[Collection(PackedSdkCollection.Name)]
public sealed class FSharpEndToEndTests(PackedSdkFixture sdk)
{
    [Fact]
    public void FSharp_experiment_builds_trains_and_predicts_from_the_users_own_code()
    {
        var project = sdk.NewExperiment("Sentiment", "-lang", "F#");
        Assert.True(File.Exists(Path.Combine(project, "Sentiment.fsproj")));

        SampleExperiment.BuildAndTrain(project);

        // docs/fsharp/train-and-predict.fsx, as the docs say to run it: dotnet fsi in the built project's folder.
        File.Copy(Path.Combine(sdk.RepoRoot, "docs", "fsharp", "train-and-predict.fsx"), Path.Combine(project, "train-and-predict.fsx"));
        var script = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "fsi", "train-and-predict.fsx");
        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.True(File.Exists(Path.Combine(project, "runs", "sentiment", "run-002", "results.json")), script.Output);
        Assert.Equal(2, Regex.Matches(script.Output, @"^prediction (Positive|Negative) [01]\.\d{3}\s*$", RegexOptions.Multiline).Count);

        // The typed predictor from F#: the generated input record in, the label union and probabilities out.
        SampleExperiment.PredictFromUserCode(project, "Program.fs", UserProgram);
    }

    // docs/templates.md, "F#": keep the two in step.
    private const string UserProgram = """
        module Sentiment.Program

        [<EntryPoint>]
        let main args =
            match args with
            | [| "predict-demo" |] ->
                use predictor = SentimentExperiment.LoadPredictor ()   // latest run, best weights
                let inputs = [ { Text = "a wonderful and moving film" }; { Text = "a dull, tedious mess" } ]
                for p in predictor.Predict(inputs) do                    // in input order
                    printfn "prediction %A %.3f sum=%.3f" p.Label p.Probabilities.[p.Label] (Seq.sum p.Probabilities.Values)
                0
            | _ ->
                DpSampleData.writeIfMissing ()
                DpCli.Run args
        """;

    [Fact]
    public void FSharp_build_is_incremental_and_a_spec_mistake_fails_it_at_its_line()
    {
        // A SuperGLUE task: no Program.fs, so the generated entry point runs the experiment.
        var project = sdk.NewExperiment("Glue", "-lang", "F#", "--task", "rte");
        var build = DotNetCli.Run(project, TimeSpan.FromMinutes(10), "build", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        var help = DotNetCli.Run(project, TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("train", help.Output, StringComparison.Ordinal);

        // Nothing changed: the generation step and the F# compile are both skipped.
        var again = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "build", "-nologo", "--no-restore", "-v:n");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Skipping target \"DpGenerateFSharpSources\"", again.Output, StringComparison.Ordinal);
        Assert.Contains("Skipping target \"CoreCompile\"", again.Output, StringComparison.Ordinal);

        // dotnet new dp-spec in an F# project: a second experiment, picked by --experiment NAME.
        var added = sdk.DotNetNew(project, "dp-spec", "-n", "second", "--method", "prompt", "--task", "rte");
        Assert.True(added.ExitCode == 0, added.ToString());
        var two = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "build", "-nologo", "--no-restore");
        Assert.True(two.ExitCode == 0, two.ToString());
        var second = DotNetCli.Run(project, TimeSpan.FromMinutes(2), "run", "--no-build", "--", "--experiment", "second", "--help");
        Assert.True(second.ExitCode == 0, second.ToString());
        var generated = Directory.GetFiles(project, "SecondExperiment.g.fs", SearchOption.AllDirectories);
        Assert.Single(generated);

        // Removing a spec removes its module (the spec list is an input of the generation step).
        File.Delete(Path.Combine(project, "second.dp.yaml"));
        var one = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "build", "-nologo", "--no-restore");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.False(File.Exists(generated[0]), "the removed spec's module is still generated");

        var specPath = Path.Combine(project, "glue.dp.yaml");
        var lines = File.ReadAllLines(specPath).ToList();
        var at = lines.IndexOf("training:") + 1;
        lines.Insert(at, "  learning_rte: 0.1");
        File.WriteAllLines(specPath, lines);

        var broken = DotNetCli.Run(project, TimeSpan.FromMinutes(5), "build", "-nologo", "--no-restore");

        Assert.NotEqual(0, broken.ExitCode);
        // The C# test's pattern (SpecBuildTests): file(line,col,endLine,endCol): error DPxxxx: message.
        var diagnostic = Regex.Match(broken.Output, @"glue\.dp\.yaml\((\d+),(\d+)(?:,\d+,\d+)?\): error (DP\d{4}): ([^\r\n]*)");
        Assert.True(diagnostic.Success, "no DP error located in the spec:\n" + broken.Output);
        Assert.Equal(at + 1, int.Parse(diagnostic.Groups[1].Value));
        Assert.Equal(3, int.Parse(diagnostic.Groups[2].Value));
        Assert.Equal("DP0002", diagnostic.Groups[3].Value);
        Assert.Contains("did you mean 'learning_rate'", diagnostic.Groups[4].Value);
        Assert.DoesNotContain("error FS", broken.Output, StringComparison.Ordinal);
    }
}
