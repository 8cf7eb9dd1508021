using Microsoft.CodeAnalysis;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>Each DP diagnostic: a spec that triggers it, and the exact line/column (1-based, as editors show) it points at.</summary>
public class DiagnosticTests
{
    private const string Task = "task: { kind: superglue, superglue: rte }\n";

    internal static Diagnostic Single(string spec, string path = "specs/bad.dp.yaml")
    {
        var run = GeneratorHarness.Run(path, spec);
        Assert.Null(run.Result.Results.Single().Exception);
        var diagnostic = Assert.Single(run.Diagnostics);
        // An invalid spec yields no experiment code.
        Assert.DoesNotContain(run.Result.Results.Single().GeneratedSources, s => s.HintName.EndsWith("Experiment.g.cs", StringComparison.Ordinal));
        // ... and the build's only errors are about the spec (the fallback entry point keeps CS5001 away).
        Assert.Empty(run.CompileProblems());
        return diagnostic;
    }

    internal static void AssertAt(Diagnostic d, string id, int line, int column, string? messagePart = null)
    {
        var span = d.Location.GetLineSpan();
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.EndsWith(".dp.yaml", span.Path, StringComparison.Ordinal);
        if (messagePart is not null) Assert.Contains(messagePart, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DP0001_yaml_syntax_error_points_at_the_bad_line()
    {
        var d = Single("experiment: a\ntask:\n  kind: custom\n fields: [x]\n");
        AssertAt(d, "DP0001", 4, 2);
    }

    [Fact]
    public void DP0002_unknown_key_suggests_the_close_one()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  learning_rat: 0.1\n"), "DP0002", 4, 3, "did you mean 'learning_rate'");

    [Fact]
    public void DP0003_duplicate_key_points_at_the_second()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  max_steps: 10\n  max_steps: 20\n"), "DP0003", 5, 3, "line 4");

    [Fact]
    public void DP0004_group_given_a_scalar()
        => AssertAt(Single("experiment: a\n" + Task + "training: 5\n"), "DP0004", 3, 11, "must be a mapping");

    [Fact]
    public void DP0005_integer_key_given_text()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  max_steps: ten\n"), "DP0005", 4, 14, "whole number");

    [Fact]
    public void DP0006_prompt_length_out_of_range()
        => AssertAt(Single("experiment: a\n" + Task + "method:\n  prompt_length: 0\n"), "DP0006", 4, 18, "1..512");

    [Fact]
    public void DP0006_learning_rate_must_be_positive()
        => AssertAt(Single("experiment: a\n" + Task + "training: { learning_rate: -1e-3 }\n"), "DP0006", 3, 28, "> 0");

    [Fact]
    public void DP0007_unknown_choice_word_suggests()
        => AssertAt(Single("experiment: a\n" + Task + "method:\n  kind: dinamic\n"), "DP0007", 4, 9, "did you mean 'dynamic'");

    [Fact]
    public void DP0008_missing_experiment_points_at_file_start()
        => AssertAt(Single(Task + "training: { max_steps: 10 }\n"), "DP0008", 1, 1, "experiment");

    [Fact]
    public void DP0009_invalid_experiment_name()
        => AssertAt(Single("experiment: Sentiment_DP\n" + Task), "DP0009", 1, 13);

    [Fact]
    public void DP0010_two_specs_with_one_name_flags_the_second()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", "experiment: same\n" + Task), ("specs/b.dp.yaml", "\nexperiment:   same\n" + Task) });
        var d = Assert.Single(run.Diagnostics);
        AssertAt(d, "DP0010", 2, 15, "a.dp.yaml");
        Assert.Equal("specs/b.dp.yaml", d.Location.GetLineSpan().Path);
        Assert.Single(run.Result.Results.Single().GeneratedSources, s => s.HintName == "SameExperiment.g.cs");
    }

    [Fact]
    public void DP0011_instance_pool_with_prompt_tuning()
        => AssertAt(Single("experiment: a\n" + Task + "method:\n  kind: prompt\n  pool:\n    size: 4\n"), "DP0011", 6, 5, "kind: dynamic");

    [Fact]
    public void DP0011_instance_position_with_finetune()
        => AssertAt(Single("experiment: a\n" + Task + "method:\n  kind: finetune\n  position: instance\n"), "DP0011", 5, 3, "belongs to 'kind: dynamic'");

    // Both used to build and run as something else: prompt tuning always put its prompt first, P-tuning v2 ignored init.
    [Fact]
    public void DP0011_a_postfix_position_is_dynamic_promptings()
        => AssertAt(Single("experiment: a\n" + Task + "method: { kind: prompt, position: postfix }\n"), "DP0011", 3, 25, "belongs to 'kind: dynamic'");

    [Fact]
    public void DP0011_p_tuning_v2_has_no_input_prompt_init()
        => AssertAt(Single("experiment: a\n" + Task + "method: { kind: prefix, init: random }\n"), "DP0011", 3, 25, "N(0, 1)");

    [Fact]
    public void DP0011_reparameterize_only_with_prefix()
        => AssertAt(Single("experiment: a\n" + Task + "method: { kind: prompt, reparameterize: true }\n"), "DP0011", 3, 25, "P-tuning v2");

    [Fact]
    public void DP0012_superglue_kind_needs_the_task_name()
        => AssertAt(Single("experiment: a\ntask:\n  kind: superglue\n"), "DP0012", 3, 9, "superglue: <task>");

    [Fact]
    public void DP0012_custom_kind_needs_labels()
        => AssertAt(Single("experiment: a\ntask:\n  kind: custom\n  fields: [text]\n"), "DP0012", 3, 9, "labels");

    [Fact]
    public void DP0013_template_field_not_in_fields()
        => AssertAt(Single("experiment: a\ntask:\n  kind: custom\n  fields: [text]\n  labels: { a: x, b: y }\n  template: \"It was {txt}\"\n"), "DP0013", 6, 21, "{txt}");

    [Fact]
    public void DP0014_few_shot_with_both_sizes()
        => AssertAt(Single("experiment: a\ntask:\n  kind: superglue\n  superglue: cb\n  few_shot: { per_label: 4, total: 8 }\n"), "DP0014", 5, 3);

    [Fact]
    public void DP0015_best_metric_must_fit_the_task()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  best_metric: f1\n"), "DP0015", 4, 16, "accuracy");

    [Theory]
    [InlineData("task: { kind: superglue, superglue: rte }\n")]
    [InlineData("task: { kind: superglue, superglue: multirc }\n")]
    [InlineData("task: { kind: custom, fields: [text], labels: { a: x, b: y } }\n")]
    public void DP0015_accepts_the_validation_loss_on_every_task(string task)
    {
        var run = GeneratorHarness.Run("specs/loss.dp.yaml", "experiment: a\n" + task + "training:\n  best_metric: loss\n");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void DP0016_warmup_longer_than_training()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  max_steps: 100\n  warmup_steps: 300\n"), "DP0016", 5, 17, "max_steps");

    [Fact]
    public void DP0017_field_name_must_be_an_identifier()
        => AssertAt(Single("experiment: a\ntask:\n  kind: custom\n  fields: [text, 2nd]\n  labels: { a: x, b: y }\n"), "DP0017", 4, 18);

    [Fact]
    public void Every_catalog_id_is_tracked_in_the_release_file_and_documented()
    {
        var root = RepoRoot();
        var releases = File.ReadAllText(Path.Combine(root, "generators/DP.Generators/AnalyzerReleases.Unshipped.md"));
        var docs = File.ReadAllText(Path.Combine(root, "docs/diagnostics.md"));
        foreach (var descriptor in DP.Generators.Diagnostics.DiagnosticDescriptors.All)
        {
            Assert.Contains(descriptor.Id + " |", releases, StringComparison.Ordinal);
            Assert.Contains("## " + descriptor.Id, docs, StringComparison.Ordinal);
        }
    }

    internal static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../.."));
}
