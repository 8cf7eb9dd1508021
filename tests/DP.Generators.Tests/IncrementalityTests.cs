using DP.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DP.Generators.Tests;

/// <summary>The pipeline caches: unrelated edits redo no work; a spec edit redoes only that spec.</summary>
public class IncrementalityTests
{
    private static readonly (string, string)[] Specs =
    {
        ("specs/a.dp.yaml", SampleSpecs.DynamicCustomJsonl),
        ("specs/b.dp.yaml", SampleSpecs.PrefixSuperGlue),
    };

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorDriverRunResult result)
    {
        var tracked = result.Results.Single().TrackedSteps;
        foreach (var name in DpSpecGenerator.Steps.All)
        {
            if (!tracked.TryGetValue(name, out var runs)) continue;
            foreach (var run in runs)
            {
                foreach (var (_, reason) in run.Outputs) yield return (name, reason);
            }
        }
    }

    [Fact]
    public void Editing_an_unrelated_csharp_file_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(new[] { "namespace Demo.App; public static class Helper { public static int A() => 1; }", "namespace Demo.App; public static class Other { }" });
        var driver = GeneratorHarness.CreateDriver(Specs).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("namespace Demo.App; public static class Helper { public static int A() => 2; public static int B() => 3; }",
                (CSharpParseOptions)compilation.SyntaxTrees.First().Options, path: "File0.cs"));
        var result = driver.RunGenerators(edited).GetRunResult();

        var reasons = Reasons(result).ToList();
        Assert.Contains(reasons, r => r.Step == DpSpecGenerator.Steps.Model);
        Assert.Contains(reasons, r => r.Step == DpSpecGenerator.Steps.ValidatedSpecs);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.Step + " was " + r.Reason));
        Assert.All(result.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_spec_revalidates_only_that_spec()
    {
        var compilation = GeneratorHarness.Compilation(Array.Empty<string>());
        var a = new InMemoryAdditionalText("specs/a.dp.yaml", SampleSpecs.DynamicCustomJsonl);
        var b = new InMemoryAdditionalText("specs/b.dp.yaml", SampleSpecs.PrefixSuperGlue);
        var driver = GeneratorHarness.CreateDriver(new AdditionalText[] { a, b }).RunGenerators(compilation);

        var edited = new InMemoryAdditionalText("specs/a.dp.yaml", SampleSpecs.DynamicCustomJsonl.Replace("max_steps: 200", "max_steps: 300"));
        var result = driver.ReplaceAdditionalText(a, edited).RunGenerators(compilation).GetRunResult();

        var reasons = result.Results.Single().TrackedSteps[DpSpecGenerator.Steps.ValidatedSpecs].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var source = result.Results.Single().GeneratedSources.Single(s => s.HintName == "SentimentDpExperiment.g.cs").SourceText.ToString();
        Assert.Contains("options.Training.MaxSteps = 300;", source, StringComparison.Ordinal);
    }
}
