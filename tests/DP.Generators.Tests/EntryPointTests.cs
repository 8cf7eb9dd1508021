using Microsoft.CodeAnalysis;
using Xunit;

namespace DP.Generators.Tests;

public class EntryPointTests
{
    [Fact]
    public void User_Main_turns_the_generated_entry_point_off()
    {
        const string program = "namespace Demo.App { public static class Program { public static int Main(string[] args) => 0; } }";
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.PrefixSuperGlue) }, new[] { program });
        Assert.DoesNotContain(run.Result.Results.Single().GeneratedSources, s => s.HintName == "DpProgram.g.cs");
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void Top_level_statements_turn_the_generated_entry_point_off()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.PrefixSuperGlue) }, new[] { "return Demo.App.BoolqPtv2Experiment.Run(args);" });
        Assert.DoesNotContain(run.Result.Results.Single().GeneratedSources, s => s.HintName == "DpProgram.g.cs");
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void DpGenerateEntryPoint_false_turns_it_off()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.PrefixSuperGlue) }, entryPoint: "false", kind: OutputKind.DynamicallyLinkedLibrary);
        Assert.DoesNotContain(run.Result.Results.Single().GeneratedSources, s => s.HintName == "DpProgram.g.cs");
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void Several_specs_compile_as_one_program()
    {
        var run = GeneratorHarness.Run(SampleSpecs.All.Select(s => ("specs/" + s.Name + ".dp.yaml", s.Spec)));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void Help_with_several_specs_lists_them_and_succeeds()
    {
        var run = GeneratorHarness.Run(SampleSpecs.All.Select(s => ("specs/" + s.Name + ".dp.yaml", s.Spec)));
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var program = System.Reflection.Assembly.Load(stream.ToArray()).GetType(GeneratorHarness.Namespace + ".DpProgram", throwOnError: true)!;
        var main = program.GetMethod("Main")!;

        Assert.Equal(0, main.Invoke(null, [new[] { "--help" }]));
        Assert.Equal(2, main.Invoke(null, [new[] { "train" }]));
        // The chosen experiment gets the other arguments, in either spelling; an unknown name is refused.
        Assert.Equal(0, main.Invoke(null, [new[] { "--experiment", "boolq-ptv2", "--help" }]));
        Assert.Equal(0, main.Invoke(null, [new[] { "--help", "--experiment=rte-sweep" }]));
        Assert.Equal(2, main.Invoke(null, [new[] { "--experiment", "nope", "--help" }]));
    }

    [Fact]
    public void Empty_root_namespace_emits_global_types()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/a.dp.yaml", SampleSpecs.DynamicCustomJsonl) }, rootNamespace: "");
        Assert.DoesNotContain("namespace ", run.Source("SentimentDpExperiment.g.cs"), StringComparison.Ordinal);
        Assert.Empty(run.CompileProblems());
    }

    [Fact]
    public void Non_spec_additional_files_are_ignored()
    {
        var run = GeneratorHarness.Run(new[] { ("specs/notes.yaml", "not: a spec"), ("specs/readme.md", "# hi") }, kind: OutputKind.DynamicallyLinkedLibrary);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Result.Results.Single().GeneratedSources);
    }
}
