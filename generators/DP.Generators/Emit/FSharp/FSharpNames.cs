using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DP.Generators.Emit.FSharp;

/// <summary>F# names: a namespace from RootNamespace, and union cases from label values.</summary>
internal static class FSharpNames
{
    // F# keywords and reserved words (the F# language reference); one of these as a namespace part gets ``…``.
    private static readonly HashSet<string> Keywords = new(
        ("abstract and as assert base begin class default delegate do done downcast downto elif else end exception extern false "
         + "finally fixed for fun function global if in inherit inline interface internal lazy let match member module mutable "
         + "namespace new not null of open or override private public rec return select sig static struct then to true try type "
         + "upcast use val void when while with yield const break checked component constraint continue event external include "
         + "mixin parallel process protected pure sealed tailcall trait virtual").Split(' '));

    /// <summary>
    /// RootNamespace defaults to the project name ("rte-baseline", "2024Rte"): each dot-separated part becomes an
    /// F# identifier (other characters '_', a leading digit gets a '_' before it, a keyword double backticks).
    /// </summary>
    public static string SafeNamespace(string rootNamespace)
    {
        if (rootNamespace.Trim().Length == 0) return "";
        return string.Join(".", rootNamespace.Trim().Split('.').Select(SafeIdentifier));
    }

    private static string SafeIdentifier(string part)
    {
        var sb = new StringBuilder();
        foreach (var c in part) sb.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
        var name = sb.ToString();
        return Keywords.Contains(name) ? "``" + name + "``" : name;
    }

    /// <summary>A union case from a label value: the C# enum member's name, made to start with a capital ("1" → L1).</summary>
    public static string UnionCase(string labelValue)
    {
        var member = PredictorShape.Member(labelValue);
        return member[0] == '_' ? "L" + member.Substring(1) : member;
    }
}
