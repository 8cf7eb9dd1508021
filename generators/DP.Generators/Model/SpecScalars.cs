using System.Collections.Generic;
using System.Linq;

namespace DP.Generators.Model;

/// <summary>
/// How a plain spec scalar reads: which words mean null, which mean true or false, what an experiment name may be.
/// Compiled into the generator and into DP.Runtime (linked source), so a value in the spec and the same value in
/// <c>--set key=value</c> read alike.
/// </summary>
internal static class SpecScalars
{
    /// <summary>YAML 1.2 core-schema null: empty, ~ and the three spellings of null.</summary>
    public static readonly IReadOnlyList<string> NullWords = new[] { "", "~", "null", "Null", "NULL" };

    public static readonly IReadOnlyList<string> TrueWords = new[] { "true", "True", "TRUE" };

    public static readonly IReadOnlyList<string> FalseWords = new[] { "false", "False", "FALSE" };

    public static bool IsNull(string plain) => NullWords.Contains(plain);

    /// <summary>[a-z0-9-]+ with at least one letter or digit (the generated type name needs one).</summary>
    public static bool IsValidExperimentName(string name)
        => name.Any(c => c != '-') && name.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
}
