using System.Globalization;
using DP.Generators.Validation;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>Validation rules and defaults, checked on the language-neutral model (no Roslyn involved).</summary>
public class ValidatorTests
{
    private static SpecValidationResult Validate(string yaml) => SpecValidator.Validate("specs/t.dp.yaml", yaml);

    private static string Only(string yaml)
    {
        var result = Validate(yaml);
        Assert.Null(result.Spec);
        return Assert.Single(result.Diagnostics).Id;
    }

    [Fact]
    public void Defaults_follow_the_task_and_method()
    {
        var spec = Validate("experiment: m\ntask: { kind: superglue, superglue: multirc }\nmethod: { kind: prompt }\n").Spec!;
        Assert.Equal("f1a", spec.Get("training.best_metric"));
        Assert.Equal("20", spec.Get("method.prompt_length"));
        Assert.Equal("0.003", spec.Get("training.learning_rate"));
        Assert.Equal("superglue", spec.Task.Get("task.kind"));

        var dynamic = Validate("experiment: d\ntask: { kind: superglue, superglue: rte }\n").Spec!;
        Assert.Equal("instance", dynamic.Get("method.position"));
        Assert.Equal("accuracy", dynamic.Get("training.best_metric"));
        Assert.Equal("SentimentDpExperiment", SpecValidator.TypeNameFor("sentiment-dp"));
        Assert.Equal("_2024RteExperiment", Validate("experiment: 2024-rte\ntask: { kind: superglue, superglue: rte }\n").Spec!.TypeName);
    }

    /// <summary>Issue 13 item 10: the masked-LM verbalizer's template puts a {mask} where the label word goes (it was DP0013).</summary>
    [Fact]
    public void A_mask_placeholder_is_a_template_field_and_a_bert_folder_may_verbalize()
    {
        var result = Validate("experiment: v\nbackbone: { source: models/bert-base }\ntask: { kind: superglue, superglue: rte, template: \"{premise} question: {hypothesis}? answer: { mask }\" }\nhead: { kind: verbalizer }\n");
        Assert.Empty(result.Diagnostics);
        Assert.Equal("verbalizer", result.Spec!.Get("head.kind"));
    }

    [Fact]
    public void Numbers_are_read_with_the_invariant_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
        try
        {
            var spec = Validate("experiment: c\ntask: { kind: superglue, superglue: rte }\ntraining: { learning_rate: 3e-1, clip_norm: 0.5 }\n").Spec!;
            Assert.Equal("0.3", spec.Get("training.learning_rate"));
            Assert.Equal("0.5", spec.Get("training.clip_norm"));
            Assert.Equal("DP0005", Only("experiment: c\ntask: { kind: superglue, superglue: rte }\ntraining: { learning_rate: '0,3' }\n"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("task: { kind: custom, fields: [t], labels: { a: x, b: y } }\ntraining: { best_metric: macro_f1 }\n", "DP0015")]
    [InlineData("task: { kind: superglue, superglue: record }\ntraining: { best_metric: accuracy }\n", "DP0015")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: prompt, init: text }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { init_text: hello }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte, few_shot: { seed: 3 } }\n", "DP0014")]
    [InlineData("task: { kind: superglue, superglue: rte, mixing: temperature }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte, multitask: [ { kind: superglue, superglue: cb, mixing_cap: 3 } ] }\n", "DP0012")]
    [InlineData("task: { kind: custom, label_field: y, fields: [label], labels: { a: x, b: y } }\n", "DP0017")]
    [InlineData("task: { kind: custom, fields: [a, a], labels: { a: x, b: y } }\n", "DP0017")]
    [InlineData("task: { kind: custom, superglue: rte, fields: [a], labels: { a: x, b: y } }\n", "DP0012")]
    [InlineData("task: { kind: superglue, superglue: rte, fields: [a] }\n", "DP0012")]
    [InlineData("task: { kind: superglue, superglue: wsc, template: '{text} {span3_text}' }\n", "DP0013")]
    [InlineData("task: { kind: superglue, superglue: wsc, template: '{text} {mask} {masked}' }\n", "DP0013")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: prefix, position: postfix }\n", "DP0011")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: prompt, gumbel: { rate: 0.1 } }\n", "DP0011")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: finetune, prompt_length: 4 }\n", "DP0011")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: dynamic }\ntraining: { backbone_learning_rate: 1e-5 }\n", "DP0011")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { kind: prefix, reparameterize_hidden: 64 }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte, template: \"{premise} {hypothesis}? {mask}\" }\nhead: { kind: verbalizer }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte }\nmethod: { gumbel: { initial_temperature: 0.5, min_temperature: 1 } }\n", "DP0016")]
    [InlineData("task: { kind: superglue, superglue: rte }\ntraining: { batch_size: 0 }\n", "DP0006")]
    [InlineData("task: { kind: superglue, superglue: rte }\ntraining: { learning_rate: .nan }\n", "DP0005")]
    [InlineData("task: { kind: superglue, superglue: rte }\noutputs: { plots: yes }\n", "DP0005")]
    [InlineData("task: { kind: superglue, superglue: rte }\nbackbone: { dtype: fp16 }\n", "DP0007")]
    [InlineData("task:\n  kind: superglue\n  superglue: rte\n---\nexperiment: y\n", "DP0001")]
    public void Cross_field_and_value_rules(string rest, string id)
        => Assert.Equal(id, Only("experiment: x\n" + rest));

    [Fact]
    public void Anchors_and_aliases_are_followed()
    {
        var spec = Validate("experiment: a\ntask: &t { kind: superglue, superglue: rte, multitask: [ { kind: superglue, superglue: cb } ] }\nmethod: { kind: dynamic }\n").Spec!;
        Assert.Single(spec.Task.Multitask);
    }

    [Fact]
    public void Validation_results_compare_by_value_so_the_pipeline_can_cache_them()
    {
        Assert.Equal(Validate(SampleSpecs.Multitask), Validate(SampleSpecs.Multitask));
        Assert.NotEqual(Validate(SampleSpecs.Multitask), Validate(SampleSpecs.Multitask.Replace("mixing_cap: 500", "mixing_cap: 501")));
    }

    [Fact]
    public void Every_schema_key_is_documented_in_spec_md()
    {
        var docs = File.ReadAllText(Path.Combine(DiagnosticTests.RepoRoot(), "docs/spec.md"));
        foreach (var option in DP.Generators.Model.SpecSchema.Options)
        {
            Assert.Contains("`" + option.Key + "`", docs, StringComparison.Ordinal);
        }
    }
}
