using Microsoft.CodeAnalysis;
using Xunit;

namespace DP.Generators.Tests;

public class CompileTests
{
    public static IEnumerable<object[]> Samples => SampleSpecs.All.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(Samples))]
    public void Valid_spec_has_no_diagnostics_and_its_code_compiles_against_the_runtime(string name)
    {
        var spec = SampleSpecs.All.Single(s => s.Name == name).Spec;
        var run = GeneratorHarness.Run("specs/" + name + ".dp.yaml", spec);

        Assert.Empty(run.Diagnostics);
        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Contains(run.Result.Results.Single().GeneratedSources, s => s.HintName == "DpProgram.g.cs");
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void A_name_starting_with_a_digit_gives_valid_type_names()
    {
        var spec = "experiment: 2024-reviews\ntask: { kind: custom, fields: [text], labels: { pos: good, neg: bad } }\n";
        var run = GeneratorHarness.Run("specs/2024.dp.yaml", spec);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("public sealed record _2024ReviewsInput(string Text)", run.Source("_2024ReviewsExperiment.g.cs"), StringComparison.Ordinal);
        Assert.Contains("public enum _2024ReviewsLabel { Pos, Neg }", run.Source("_2024ReviewsExperiment.g.cs"), StringComparison.Ordinal);
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void In_a_program_with_several_specs_sweep_trials_start_with_the_experiment_selector()
    {
        // The entry point picks the spec by --experiment NAME and strips it; a trial started without it would not know
        // which experiment it belongs to.
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.SweepSuperGlue), ("specs/b.dp.yaml", SampleSpecs.PromptSuperGlue) });
        Assert.Empty(run.Diagnostics);
        var sweep = run.Source("RteSweepExperiment.g.cs");
        Assert.Contains("ExperimentCli.Run(CreateOptions(), args, ApplyOverride, Sweep, global::DP.Runtime.Sweeps.TrialLauncher.Current(\"--experiment\", ExperimentName));", sweep, StringComparison.Ordinal);
        Assert.Empty(run.CompileProblems());

        var alone = GeneratorHarness.Run("specs/a.dp.yaml", SampleSpecs.SweepSuperGlue);
        Assert.Contains("ExperimentCli.Run(CreateOptions(), args, ApplyOverride, Sweep);", alone.Source("RteSweepExperiment.g.cs"), StringComparison.Ordinal);
    }
}
