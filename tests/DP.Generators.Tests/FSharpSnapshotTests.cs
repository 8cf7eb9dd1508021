using Xunit;

namespace DP.Generators.Tests;

/// <summary>The F# the SDK's build task writes, per method and data kind, compared with reviewed snapshots.</summary>
public class FSharpSnapshotTests
{
    public static IEnumerable<object[]> Samples => SampleSpecs.All.Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(Samples))]
    public void Experiment_module_matches_snapshot(string name)
    {
        var spec = SampleSpecs.All.Single(s => s.Name == name).Spec;
        var (model, sources) = FSharpHarness.Run(new[] { ("specs/" + name + ".dp.yaml", spec) });
        Assert.Empty(model.Diagnostics);
        // Experiments first, then DpCli (it runs them), the entry point last: F# compiles files in order and wants main last.
        Assert.Equal(new[] { "DpCli.g.fs", "DpProgram.g.fs" }, sources.Skip(1).Select(s => s.FileName));
        SnapshotFile.Match(sources.Single(s => s.FileName.EndsWith("Experiment.g.fs", StringComparison.Ordinal)).Text, name, extension: ".fs");
    }

    [Fact]
    public void Entry_point_for_several_specs_matches_snapshot()
    {
        var (model, sources) = FSharpHarness.Run(new[] { ("specs/b.dp.yaml", SampleSpecs.PrefixSuperGlue), ("specs/a.dp.yaml", SampleSpecs.PromptSuperGlue) });
        Assert.Empty(model.Diagnostics);
        Assert.Equal(new[] { "RtePromptExperiment.g.fs", "BoolqPtv2Experiment.g.fs", "DpCli.g.fs", "DpProgram.g.fs" }, sources.Select(s => s.FileName));
        SnapshotFile.Match(sources.Source("DpCli.g.fs"), "EntryPointMultiple", extension: ".fs");
        Assert.Contains("let main (args: string[]) : int = DpCli.Run args", sources.Source("DpProgram.g.fs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_point_is_left_out_when_switched_off()
    {
        var (_, sources) = FSharpHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.PromptSuperGlue) }, entryPoint: "false");
        // A user's own [<EntryPoint>] still calls DpCli.Run.
        Assert.Equal(new[] { "RtePromptExperiment.g.fs", "DpCli.g.fs" }, sources.Select(s => s.FileName));
    }

    [Fact]
    public void No_spec_gives_no_file()
        => Assert.Empty(FSharpHarness.Run(Array.Empty<(string, string)>()).Sources);

    [Theory]
    [InlineData("rte-baseline", "rte_baseline")]
    [InlineData("2024Rte", "_2024Rte")]
    [InlineData("My.type.App", "My.``type``.App")]
    public void A_root_namespace_that_is_not_an_identifier_becomes_an_FSharp_namespace(string rootNamespace, string expected)
    {
        var (_, sources) = FSharpHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.PromptSuperGlue) }, rootNamespace);
        Assert.All(sources, s => Assert.Contains("namespace " + expected + "\n", s.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Numbers_are_FSharp_literals_in_any_culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var (_, sources) = FSharpHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.DynamicCustomJsonl) });
            var text = sources[0].Text;
            Assert.Contains("options.Training.LearningRate <- 0.003\n", text, StringComparison.Ordinal);
            Assert.Contains("options.Training.ClipNorm <- 1.0\n", text, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
