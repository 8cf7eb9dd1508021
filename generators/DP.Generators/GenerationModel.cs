using System;
using System.Collections.Immutable;
using System.Linq;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Validation;

namespace DP.Generators;

/// <summary>
/// Everything the output step needs for the whole compilation: the valid specs (unique names, stable order), every
/// diagnostic, and the settings. Equatable, so an unrelated edit produces no new output.
/// </summary>
public sealed record GenerationModel(
    EquatableArray<ExperimentSpec> Specs,
    EquatableArray<DiagnosticInfo> Diagnostics,
    string RootNamespace,
    bool EmitEntryPoint)
{
    public static GenerationModel Build(ImmutableArray<SpecValidationResult> results, GeneratorSettings settings, bool hasUserMain)
    {
        var diagnostics = results.OrderBy(r => r.SpecPath, StringComparer.Ordinal).SelectMany(r => r.Diagnostics).ToList();
        var specs = new System.Collections.Generic.List<ExperimentSpec>();
        foreach (var spec in results.Where(r => r.Spec is not null).Select(r => r.Spec!).OrderBy(s => s.SpecPath, StringComparer.Ordinal))
        {
            var first = specs.FirstOrDefault(s => s.Name == spec.Name || s.TypeName == spec.TypeName);
            if (first is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticIds.DuplicateExperiment, spec.SpecPath, spec.NameSpan, spec.Name, first.SpecFileName));
                continue;
            }
            specs.Add(spec);
        }
        return new GenerationModel(specs.ToEquatableArray(), diagnostics.ToEquatableArray(), settings.RootNamespace,
            settings.GenerateEntryPoint && !hasUserMain && results.Length > 0);
    }
}
