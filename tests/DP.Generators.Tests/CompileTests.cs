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
}
