using System.Collections.Immutable;
using DP.Generators.Emit.FSharp;
using DP.Generators.Parsing;
using DP.Generators.Pipeline;

namespace DP.Generators.Tests;

/// <summary>The F# build task's pipeline on in-memory specs: validate each, build the model, emit the F# files.</summary>
public static class FSharpHarness
{
    public static (GenerationModel Model, IReadOnlyList<FSharpSource> Sources) Run(IEnumerable<(string Path, string Text)> specs,
        string rootNamespace = GeneratorHarness.Namespace, string? entryPoint = null)
    {
        var results = specs.Select(s => SpecPipeline.Validate(new SpecFile(s.Path, s.Text, SpecEncoding.Find(s.Text, null)))).ToImmutableArray();
        var model = GenerationModel.Build(results, FSharpSources.Settings(rootNamespace, entryPoint), hasUserMain: false);
        return (model, FSharpSources.Emit(model));
    }

    public static string Source(this IReadOnlyList<FSharpSource> sources, string fileName) => sources.Single(s => s.FileName == fileName).Text;
}
