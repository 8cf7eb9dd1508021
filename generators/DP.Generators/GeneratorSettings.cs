using Microsoft.CodeAnalysis.Diagnostics;

namespace DP.Generators;

/// <summary>The MSBuild properties the generator reads (declared CompilerVisibleProperty by the SDK).</summary>
public sealed record GeneratorSettings(string RootNamespace, bool GenerateEntryPoint)
{
    public static GeneratorSettings From(AnalyzerConfigOptions options)
    {
        options.TryGetValue("build_property.RootNamespace", out var ns);
        options.TryGetValue("build_property.DpGenerateEntryPoint", out var entry);
        var generate = !string.Equals(entry?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase);
        return new GeneratorSettings(ns?.Trim() ?? "", generate);
    }
}
