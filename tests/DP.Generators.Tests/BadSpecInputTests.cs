using System.Text;
using Microsoft.CodeAnalysis;
using Xunit;
using static DP.Generators.Tests.DiagnosticTests;

namespace DP.Generators.Tests;

/// <summary>Hostile or broken spec text (issue 15, items 7–11 and 13): each is a located DP error, never a crash.</summary>
public class BadSpecInputTests
{
    private const string Task = "task: { kind: superglue, superglue: rte }\n";

    private const string CustomTask = "task:\n  kind: custom\n  fields: [text]\n  labels: { positive: great, negative: terrible }\n";

    // Item 7: every YAML tag form, on a scalar, a mapping and a sequence.
    [Theory]
    [InlineData("experiment: !!python/object:os.system a\n" + Task, 1, 13)]
    [InlineData("experiment: !tag a\n" + Task, 1, 13)]
    [InlineData("experiment: !!str a\n" + Task, 1, 13)]
    [InlineData("experiment: !<tag:yaml.org,2002:str> a\n" + Task, 1, 13)]
    [InlineData("experiment: ! a\n" + Task, 1, 13)]
    [InlineData("experiment: a\ntask: !!map { kind: superglue, superglue: rte }\n", 2, 7)]
    [InlineData("experiment: a\n" + "task:\n  kind: custom\n  fields: !!seq [text]\n  labels: { positive: great, negative: terrible }\n", 4, 11)]
    [InlineData("experiment: a\n" + Task + "training:\n  max_steps: !!int 10\n", 4, 14)]
    [InlineData("%TAG !py! tag:yaml.org,2002:python/\n---\nexperiment: !py!object:os.system a\n" + Task, 3, 13)]
    public void DP0022_a_yaml_tag_is_a_located_error(string spec, int line, int column)
        => AssertAt(Single(spec), "DP0022", line, column, "tag");

    // Item 8: a tab in the indentation is reported where it is, not at (1,1).
    [Fact]
    public void DP0001_a_tab_in_indentation_points_at_the_tab()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n\tmax_steps: 10\n"), "DP0001", 4, 1, "tab");

    [Fact]
    public void DP0001_a_tab_in_nested_indentation_points_at_the_tab()
        => AssertAt(Single("experiment: a\n" + Task + "training:\n  max_steps: 10\n  \tlearning_rate: 0.1\n"), "DP0001", 5, 3, "tab");

    // Item 9: names long enough to break the compiler's metadata limits.
    [Fact]
    public void DP0023_a_very_long_experiment_name_is_bounded()
        => AssertAt(Single("experiment: " + new string('a', 1100) + "\n" + Task), "DP0023", 1, 13, "experiment");

    [Fact]
    public void DP0023_a_very_long_field_name_is_bounded()
    {
        var field = new string('f', 1100);
        var spec = "experiment: a\ntask:\n  kind: custom\n  fields: [text, " + field + "]\n  labels: { positive: great, negative: terrible }\n";
        AssertAt(Single(spec), "DP0023", 4, 18, "field");
    }

    [Fact]
    public void A_name_at_the_length_limit_still_compiles()
    {
        var name = new string('a', DP.Generators.Validation.SpecLimits.MaxNameLength);
        var run = GeneratorHarness.Run("specs/long.dp.yaml", "experiment: " + name + "\ntask:\n  kind: custom\n  fields: [" + name + "]\n  labels: { positive: great, negative: terrible }\n");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileProblems());
    }

    // Item 10: deep nesting in a value must not overflow the stack (14,000 did); it is bounded before any recursion.
    [Theory]
    [InlineData(14_000, false)]
    [InlineData(200_000, false)]
    [InlineData(100_000, true)]
    public void DP0023_deep_nesting_is_bounded(int depth, bool mappings)
    {
        var deep = mappings ? string.Concat(Enumerable.Repeat("{a: ", depth)) + "b" + new string('}', depth) : new string('[', depth) + new string(']', depth);
        var d = Single("experiment: a\n" + Task + "training:\n  max_steps: " + deep + "\n");
        // Reported where the nesting passes the limit (the value itself is already three levels down).
        Assert.Equal(4, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal("DP0023", d.Id);
        Assert.Contains("nest", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DP0023_deep_block_nesting_is_bounded()
    {
        var sb = new StringBuilder("experiment: a\n" + Task + "extra:\n");
        for (var i = 1; i <= 3000; i++) sb.Append(new string(' ', i)).Append("k:\n");
        var d = Single(sb.ToString());
        Assert.Equal("DP0023", d.Id);
    }

    // Item 11: bytes that are not UTF-8 (FF FE inside a label word), decoded either way the compiler may decode them.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DP0024_invalid_utf8_in_a_label_word_is_located(bool codePageFallback)
    {
        var before = Encoding.UTF8.GetBytes("experiment: a\n# caf\u00e9 is fine\ntask:\n  kind: custom\n  fields: [text]\n  labels: { positive: gr");
        var after = Encoding.UTF8.GetBytes("eat, negative: terrible }\n");
        var bytes = before.Concat(new byte[] { 0xFF, 0xFE }).Concat(after).ToArray();
        var encoding = codePageFallback ? System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252) : null;
        var run = GeneratorHarness.Run(new AdditionalText[] { new BytesAdditionalText("specs/bad.dp.yaml", bytes, encoding) });
        Assert.Null(run.Result.Results.Single().Exception);
        var d = Assert.Single(run.Diagnostics);
        AssertAt(d, "DP0024", 6, 25, "UTF-8");
    }

    [Fact]
    public void Valid_utf8_beyond_ascii_is_accepted()
    {
        var bytes = Encoding.UTF8.GetBytes("experiment: a\n" + CustomTask.Replace("great", "g\u00e9nial", StringComparison.Ordinal));
        var run = GeneratorHarness.Run(new AdditionalText[] { new BytesAdditionalText("specs/ok.dp.yaml", bytes) });
        Assert.Empty(run.Diagnostics);
    }

    // Item 13: project names that are not C# identifiers give RootNamespace values that are not namespaces.
    [Theory]
    [InlineData("rte-baseline", "rte_baseline")]
    [InlineData("2024Rte", "_2024Rte")]
    [InlineData("my app.v2-x", "my_app.v2_x")]
    [InlineData("class", "@class")]
    public void A_root_namespace_that_is_not_an_identifier_becomes_a_valid_namespace(string rootNamespace, string expected)
    {
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", "experiment: a\n" + Task) }, rootNamespace: rootNamespace);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileProblems());
        Assert.Contains("namespace " + expected, run.Source("AExperiment.g.cs"), StringComparison.Ordinal);
    }
}
