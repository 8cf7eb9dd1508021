using DP.Generators.Model;
using DP.Generators.Validation;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>Issue 13 item 4: <c>preset:</c> gives the authors' settings to every key the spec leaves out.</summary>
public class PresetTests
{
    private static SpecValidationResult Validate(string yaml) => SpecValidator.Validate("specs/t.dp.yaml", yaml);

    [Fact]
    public void Preset_sets_the_authors_training_method_and_template()
    {
        var spec = Validate("experiment: a\npreset: authors-adap-ins-vec\ntask: { kind: superglue, superglue: cb }\n").Spec!;
        string[][] expected =
        [
            ["training.optimizer", "adafactor"], ["training.learning_rate", "0.3"], ["training.schedule", "constant"],
            ["training.warmup_steps", "500"], ["training.max_steps", "20000"], ["training.batch_size", "8"],
            ["training.gradient_accumulation", "4"], ["training.clip_norm", "1"], ["training.eval_every", "500"],
            ["method.kind", "dynamic"], ["method.prompt_length", "20"], ["method.position", "prefix"],
            ["method.pool.size", "4"], ["method.pool.tanh", "true"], ["method.init", "vocab_first"],
        ];
        Assert.All(expected, e => Assert.Equal(e[1], spec.Get(e[0])));
        Assert.Equal("480", spec.Task.Get("task.max_length"));
        Assert.Equal("hypothesis: {hypothesis}. premise: {premise}", spec.Task.Get("task.template"));

        var pooled = Validate("experiment: b\npreset: authors-adap-ins-vec-pos\ntask: { kind: superglue, superglue: multirc }\n").Spec!;
        Assert.Equal(("instance", "random", "false"), (pooled.Get("method.position"), pooled.Get("method.init"), pooled.Get("method.pool.tanh")));
        Assert.Equal("question: {question} answer: {answer}. paragraph: {passage}", pooled.Task.Get("task.template"));
    }

    [Fact]
    public void A_key_the_spec_writes_wins_over_the_preset()
    {
        var result = Validate("experiment: a\npreset: authors-adap-ins-pos\ntask: { kind: superglue, superglue: rte, template: \"{premise} ? {hypothesis}\", max_length: 256 }\n" +
                            "training: { max_steps: 100, warmup_steps: 10, learning_rate: 0.1 }\nmethod: { prompt_length: 8 }\n");
        Assert.Empty(result.Diagnostics.Select(d => d.Id + " " + string.Join("; ", d.Args)));
        var spec = result.Spec!;
        Assert.Equal("100", spec.Get("training.max_steps"));
        Assert.Equal("0.1", spec.Get("training.learning_rate"));
        Assert.Equal("8", spec.Get("method.prompt_length"));
        Assert.Equal("256", spec.Task.Get("task.max_length"));
        Assert.Equal("{premise} ? {hypothesis}", spec.Task.Get("task.template"));
        Assert.Equal("adafactor", spec.Get("training.optimizer")); // the rest still from the preset
    }

    [Fact]
    public void Tasks_without_an_authors_template_keep_their_default()
    {
        var spec = Validate("experiment: a\npreset: authors-adap-pos\ntask: { kind: superglue, superglue: copa }\n").Spec!;
        Assert.Null(spec.Task.Get("task.template"));
        Assert.Equal("task", spec.Get("method.position"));
    }

    [Fact]
    public void An_unknown_preset_is_a_located_error_with_a_suggestion()
    {
        var result = Validate("experiment: a\npreset: authors-adap-ins-poz\ntask: { kind: superglue, superglue: rte }\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("DP0007", d.Id);
        Assert.Equal(1, d.Span.StartLine);
        Assert.Contains(d.Args, a => a.Contains("authors-adap-ins-pos"));
    }

    [Fact]
    public void Another_method_kind_than_the_presets_is_one_located_error()
    {
        var result = Validate("experiment: a\npreset: authors-adap-ins-pos\ntask: { kind: superglue, superglue: rte }\nmethod: { kind: prompt }\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("DP0011", d.Id);
        Assert.Equal(3, d.Span.StartLine); // at the written kind
    }

    [Fact]
    public void Every_preset_is_documented_and_sets_only_schema_keys()
    {
        var docs = File.ReadAllText(Path.Combine(DiagnosticTests.RepoRoot(), "docs/spec.md"));
        foreach (var preset in SpecPresets.All)
        {
            Assert.Contains("`" + preset.Name + "`", docs, StringComparison.Ordinal);
            Assert.All(preset.Settings, s => Assert.NotNull(SpecSchema.Find(s.Key)));
        }
    }

    [Theory]
    [InlineData("dp-experiment")]
    [InlineData("dp-spec")]
    public void The_templates_offer_exactly_the_presets(string template)
    {
        var path = Path.Combine(DiagnosticTests.RepoRoot(), "templates/DP.Templates/content", template, ".template.config/template.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var choices = json.RootElement.GetProperty("symbols").GetProperty("preset").GetProperty("choices")
            .EnumerateArray().Select(c => c.GetProperty("choice").GetString()).ToList();
        Assert.Equal(["none", .. SpecPresets.Names], choices);
    }
}
