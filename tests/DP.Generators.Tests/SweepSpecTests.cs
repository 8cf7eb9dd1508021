using Microsoft.CodeAnalysis;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>The spec's sweep: section: grid expansion at build time, and each of its diagnostics, located.</summary>
public class SweepSpecTests
{
    private const string Head = "experiment: a\ntask: { kind: superglue, superglue: rte }\nmethod: { kind: prompt }\n";

    private static Model.SweepSpec Sweep(string spec)
    {
        var result = Validation.SpecValidator.Validate("specs/s.dp.yaml", spec);
        Assert.Empty(result.Diagnostics);
        return Assert.IsType<Model.SweepSpec>(result.Spec!.Sweep);
    }

    private static Diagnostic Single(string spec)
    {
        var run = GeneratorHarness.Run("specs/bad.dp.yaml", spec);
        Assert.Null(run.Result.Results.Single().Exception);
        Assert.Empty(run.CompileProblems());
        return Assert.Single(run.Diagnostics);
    }

    private static void AssertAt(Diagnostic d, string id, int line, int column, string messagePart)
    {
        var span = d.Location.GetLineSpan();
        Assert.Equal(id, d.Id);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Contains(messagePart, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_expands_in_written_order_with_the_last_axis_fastest_zips_together_and_exclusions_out()
    {
        var sweep = Sweep(SampleSpecs.SweepSuperGlue);
        Assert.Equal(["task.superglue", "method.kind", "training.learning_rate", "training.seed"], sweep.Keys.ToArray());
        var trials = sweep.Trials.Select(t => string.Join(" ", t.Values)).ToList();
        Assert.Equal(
        [
            "rte prompt 0.3 1", "rte prompt 0.3 2", "rte prompt 0.3 3",
            "rte prefix 0.01 1", "rte prefix 0.01 2", "rte prefix 0.01 3",
            "cb prompt 0.3 1", "cb prompt 0.3 2", "cb prompt 0.3 3",
        ], trials);
    }

    [Fact]
    public void Seeds_take_a_list_and_values_are_canonical_as_set_takes_them()
    {
        var sweep = Sweep(Head + "sweep:\n  seeds: [13, 42]\n  training.prompt_learning_rate: [null, 1E-1]\n");
        Assert.Equal(["training.seed", "training.prompt_learning_rate"], sweep.Keys.ToArray());
        Assert.Equal(["13 null", "13 0.1", "42 null", "42 0.1"], sweep.Trials.Select(t => string.Join(" ", t.Values)).ToArray());
    }

    [Fact]
    public void The_worked_example_of_docs_sweeps_md_has_the_trial_count_it_states()
    {
        var docs = File.ReadAllText(Path.Combine(DiagnosticTests.RepoRoot(), "docs/sweeps.md"));
        var start = docs.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var spec = docs.Substring(start, docs.IndexOf("```", start, StringComparison.Ordinal) - start);
        Assert.Equal(45, Sweep(spec).Trials.Count);
        Assert.Contains("45 trials", docs, StringComparison.Ordinal);
    }

    [Fact]
    public void Trial_count_and_table_are_generated()
    {
        var run = GeneratorHarness.Run("specs/s.dp.yaml", SampleSpecs.SweepSuperGlue);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileProblems());
        var source = run.Source("RteSweepExperiment.g.cs");
        Assert.Contains("public const int SweepTrialCount = 9;", source, StringComparison.Ordinal);
        Assert.Contains("ExperimentCli.Run(CreateOptions(), args, ApplyOverride, Sweep);", source, StringComparison.Ordinal);
    }

    [Fact]
    public void DP0002_a_key_set_does_not_accept_suggests_the_close_one()
        => AssertAt(Single(Head + "sweep:\n  training.learning_rat: [0.1]\n"), "DP0002", 5, 3, "did you mean 'training.learning_rate'");

    [Fact]
    public void DP0002_a_structured_key_cannot_be_swept()
        => AssertAt(Single(Head + "sweep:\n  task.fields: [a]\n"), "DP0002", 5, 3, "cannot be swept");

    [Fact]
    public void DP0005_a_value_of_the_wrong_type()
        => AssertAt(Single(Head + "sweep:\n  training.max_steps: [10, ten]\n"), "DP0005", 5, 28, "whole number");

    [Fact]
    public void DP0006_a_value_out_of_range()
        => AssertAt(Single(Head + "sweep:\n  method.prompt_length: [0]\n"), "DP0006", 5, 26, "1..512");

    [Fact]
    public void DP0007_an_unknown_choice_word()
        => AssertAt(Single(Head + "sweep:\n  method.kind: [prompt, prefx]\n"), "DP0007", 5, 25, "did you mean 'prefix'");

    [Fact]
    public void DP0004_a_key_given_one_value_instead_of_a_list()
        => AssertAt(Single(Head + "sweep:\n  training.learning_rate: 0.1\n"), "DP0004", 5, 27, "non-empty list");

    [Fact]
    public void DP0005_seeds_not_a_count()
        => AssertAt(Single(Head + "sweep:\n  seeds: 0\n"), "DP0005", 5, 10, "count");

    [Fact]
    public void DP0019_a_key_swept_twice()
        => AssertAt(Single(Head + "sweep:\n  seeds: 2\n  training.seed: [1, 2]\n"), "DP0019", 6, 3, "swept twice");

    [Fact]
    public void DP0019_a_repeated_value()
        => AssertAt(Single(Head + "sweep:\n  training.learning_rate: [0.1, 1e-1]\n"), "DP0019", 5, 33, "twice");

    [Fact]
    public void DP0019_a_zipped_group_repeating_a_whole_tuple_but_not_a_single_value()
    {
        Assert.Equal(3, Sweep(Head + "sweep:\n  zip:\n    - { method.kind: [prompt, prefix, dynamic], method.position: [prefix, prefix, instance] }\n").Trials.Count);
        AssertAt(Single(Head + "sweep:\n  zip:\n    - { method.kind: [prompt, prompt], method.position: [prefix, prefix] }\n"), "DP0019", 6, 7, "positions 1 and 2");
    }

    [Fact]
    public void DP0019_zipped_lists_of_different_lengths()
        => AssertAt(Single(Head + "sweep:\n  zip:\n    - { method.kind: [prompt, prefix], training.learning_rate: [0.3] }\n"), "DP0019", 6, 64, "same length");

    [Fact]
    public void DP0020_an_exclusion_by_a_key_not_swept()
        => AssertAt(Single(Head + "sweep:\n  seeds: 2\n  exclude:\n    - { training.learning_rate: 0.1 }\n"), "DP0020", 7, 9, "not swept");

    [Fact]
    public void DP0020_an_exclusion_by_a_value_not_swept()
        => AssertAt(Single(Head + "sweep:\n  seeds: 2\n  exclude:\n    - { seeds: 3 }\n"), "DP0020", 7, 16, "not one of the swept values");

    [Fact]
    public void DP0020_an_exclusion_that_matches_no_trial()
        => AssertAt(Single(Head + "sweep:\n  zip:\n    - { method.kind: [prompt, prefix], seeds: [1, 2] }\n  exclude:\n    - { method.kind: prompt, seeds: 2 }\n"),
            "DP0020", 8, 7, "matches no trial");

    [Fact]
    public void DP0021_a_sweep_without_axes()
        => AssertAt(Single(Head + "sweep: {}\n"), "DP0021", 4, 1, "no axis");

    [Fact]
    public void DP0021_exclusions_that_remove_every_trial()
        => AssertAt(Single(Head + "sweep:\n  seeds: 1\n  exclude:\n    - { seeds: 1 }\n"), "DP0021", 4, 1, "every trial");

    [Fact]
    public void DP0021_too_many_trials()
    {
        var values = "[" + string.Join(", ", Enumerable.Range(1, 200)) + "]";
        AssertAt(Single(Head + "sweep:\n  training.max_steps: " + values + "\n  seeds: 100\n"), "DP0021", 4, 1, "20000 trials");
    }
}
