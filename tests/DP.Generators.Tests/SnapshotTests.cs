using Xunit;

namespace DP.Generators.Tests;

/// <summary>Generated code per method kind and per data kind, compared with reviewed snapshots.</summary>
public class SnapshotTests
{
    public static IEnumerable<object[]> Samples => SampleSpecs.All.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(Samples))]
    public void Experiment_class_matches_snapshot(string name)
    {
        var spec = SampleSpecs.All.Single(s => s.Name == name).Spec;
        var run = GeneratorHarness.Run("specs/" + name + ".dp.yaml", spec);
        Assert.Empty(run.Diagnostics);
        var source = run.Result.Results.Single().GeneratedSources.Single(s => s.HintName.EndsWith("Experiment.g.cs", StringComparison.Ordinal));
        SnapshotFile.Match(source.SourceText.ToString(), name);
    }

    [Fact]
    public void Output_does_not_depend_on_the_build_machine_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var run = GeneratorHarness.Run("specs/DynamicCustomJsonl.dp.yaml", SampleSpecs.DynamicCustomJsonl);
            Assert.Contains("options.Training.LearningRate = 0.003d;", run.Source("SentimentDpExperiment.g.cs"), StringComparison.Ordinal);
            SnapshotFile.Match(run.Source("SentimentDpExperiment.g.cs"), "DynamicCustomJsonl");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Entry_point_for_one_spec_matches_snapshot()
    {
        var run = GeneratorHarness.Run("specs/one.dp.yaml", SampleSpecs.PrefixSuperGlue);
        SnapshotFile.Match(run.Source("DpProgram.g.cs"), "EntryPointSingle");
    }

    [Fact]
    public void Entry_point_for_several_specs_matches_snapshot()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/b.dp.yaml", SampleSpecs.PrefixSuperGlue), ("specs/a.dp.yaml", SampleSpecs.PromptSuperGlue) });
        Assert.Empty(run.Diagnostics);
        SnapshotFile.Match(run.Source("DpProgram.g.cs"), "EntryPointMultiple");
    }
}
