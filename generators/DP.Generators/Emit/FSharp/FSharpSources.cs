using System.Collections.Generic;

namespace DP.Generators.Emit.FSharp;

/// <summary>A generated F# file: its name and text.</summary>
public sealed record FSharpSource(string FileName, string Text);

/// <summary>
/// The F# files for a compilation's model, in compile order: the experiments and DpCli (before the
/// project's own files), then (when the model asks for one) the entry point, which F# needs in the project's last file.
/// </summary>
public static class FSharpSources
{
    public static IReadOnlyList<FSharpSource> Emit(GenerationModel model)
    {
        // No valid spec: either there is none, or the build fails on the specs' errors before the F# compile.
        var sources = new List<FSharpSource>();
        if (model.Specs.Count == 0) return sources;
        // DpCli.Run picks among several specs by --experiment NAME: a sweep's trials are started the same way.
        var selectedByName = model.Specs.Count > 1;
        foreach (var spec in model.Specs)
        {
            sources.Add(new FSharpSource(spec.TypeName + ".g.fs", FSharpExperimentEmitter.Emit(spec, model.RootNamespace, selectedByName)));
        }
        sources.Add(new FSharpSource(FSharpEntryPointEmitter.RunnerFileName, FSharpEntryPointEmitter.EmitRunner(model.Specs, model.RootNamespace)));
        if (model.EmitEntryPoint) sources.Add(new FSharpSource(FSharpEntryPointEmitter.FileName, FSharpEntryPointEmitter.Emit(model.RootNamespace)));
        return sources;
    }

    /// <summary>The settings for F#: RootNamespace made an F# namespace.</summary>
    public static GeneratorSettings Settings(string? rootNamespace, string? generateEntryPoint)
        => new(FSharpNames.SafeNamespace(rootNamespace ?? ""), GeneratorSettings.EntryPointOn(generateEntryPoint));
}
