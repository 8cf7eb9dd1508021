using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DP.Generators;

/// <summary>The settings as the C# generator gets them (build_property.* of the analyzer config).</summary>
public sealed partial record GeneratorSettings
{
    public static GeneratorSettings From(AnalyzerConfigOptions options)
    {
        options.TryGetValue("build_property.RootNamespace", out var ns);
        options.TryGetValue("build_property.DpGenerateEntryPoint", out var entry);
        return new GeneratorSettings(SafeNamespace(ns?.Trim() ?? ""), EntryPointOn(entry));
    }

    /// <summary>
    /// RootNamespace defaults to the project name, which need not be a C# name ("rte-baseline", "2024Rte"). Each
    /// dot-separated part becomes an identifier the way `dotnet new` makes a safe namespace from a project name:
    /// other characters become '_', a leading digit gets a '_' before it, and a keyword an '@'.
    /// </summary>
    public static string SafeNamespace(string rootNamespace)
    {
        if (rootNamespace.Length == 0) return "";
        return string.Join(".", rootNamespace.Split('.').Select(SafeIdentifier));
    }

    private static string SafeIdentifier(string part)
    {
        var sb = new StringBuilder();
        foreach (var c in part) sb.Append(SyntaxFacts.IsIdentifierPartCharacter(c) ? c : '_');
        if (sb.Length == 0 || !SyntaxFacts.IsIdentifierStartCharacter(sb[0])) sb.Insert(0, '_');
        var name = sb.ToString();
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
