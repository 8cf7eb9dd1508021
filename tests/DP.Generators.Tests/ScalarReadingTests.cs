using System.Globalization;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Validation;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>
/// A value written in the spec and the same text given to <c>--set</c> read alike: both accepted with the same
/// value, or both refused with the same message. The spec side is the build's validator; the override side is the
/// generated ApplyOverride calling the runtime.
/// </summary>
public class ScalarReadingTests
{
    // One key of each kind the schema has (range-checked, nullable, choice, flag, text).
    private static readonly string[] Keys =
    {
        "method.prompt_length", "training.learning_rate", "training.prompt_learning_rate", "outputs.plots",
        "method.kind", "task.test_file", "backbone.source", "training.seed",
    };

    // Plain YAML scalars users write, including YAML's null words, other languages' booleans and number spellings.
    private static readonly string[] Scalars =
    {
        "", "~", "null", "Null", "NULL", "none", "nil", "true", "True", "TRUE", "tRUE", "yes", "on", "false", "False", "off",
        "0", "1", "16", "-3", "+5", "01", "513", "2147483648", "1.0", "1.5", "0.5", ".5", "1e-3", "1E3", "-1e-3", "1,5",
        "1_000", "0x10", "NaN", ".inf", "Infinity", "prompt", "Prompt", "dynamic", "dynamc", "finetune", "abc", "minilm-l6",
    };

    public static IEnumerable<object[]> Cases() => Keys.SelectMany(k => Scalars.Select(s => new object[] { k, s }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_scalar_reads_the_same_in_the_spec_and_in_an_override(string key, string scalar)
    {
        var spec = SpecSide(key, scalar);
        var (overrideOk, overrideValue, overrideMessage) = OverrideSide(key, scalar);

        Assert.True(spec.Ok == overrideOk, $"'{key}: {scalar}': spec {(spec.Ok ? "accepts" : "refuses")} but --set {(overrideOk ? "accepts" : "refuses")} ({spec.Message ?? overrideMessage})");
        if (spec.Ok) Assert.Equal(spec.Value, overrideValue);
        else Assert.Equal(spec.Message + ".", overrideMessage);
    }

    private static (bool Ok, string? Value, string? Message) SpecSide(string key, string scalar)
    {
        var result = SpecValidator.Validate("specs/corpus.dp.yaml", SpecWith(key, scalar));
        if (result.Spec is { } spec)
        {
            var option = SpecSchema.Find(key)!;
            return (true, option.Scope == OptionScope.Task ? spec.Task.Get(key) : spec.Get(key), null);
        }
        var diagnostic = Assert.Single(result.Diagnostics);
        var format = DiagnosticDescriptors.ForId(diagnostic.Id).MessageFormat.ToString(CultureInfo.InvariantCulture);
        return (false, null, string.Format(CultureInfo.InvariantCulture, format, diagnostic.Args.ToArray()));
    }

    private static string SpecWith(string key, string scalar)
    {
        var dot = key.IndexOf('.');
        var (group, name) = (key[..dot], key[(dot + 1)..]);
        var task = group == "task" ? "" : "task: { kind: superglue, superglue: rte }\n";
        var extra = group == "task" ? "  kind: superglue\n  superglue: rte\n" : "";
        return "experiment: corpus\n" + task + group + ":\n" + extra + "  " + name + ": " + scalar + "\n";
    }

    private static (bool Ok, string? Value, string? Message) OverrideSide(string key, string scalar)
    {
        var options = OverrideBehaviourTests.Create();
        try
        {
            OverrideBehaviourTests.Override(options, key, scalar);
        }
        catch (ArgumentException e)
        {
            return (false, null, e.Message);
        }
        return (true, SpecDocument.Value(options, key), null); // the runtime's canonical text, as the run folder writes it
    }
}
