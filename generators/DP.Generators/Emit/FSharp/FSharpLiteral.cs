using System.Globalization;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Emit.FSharp;

/// <summary>F# literals and names for spec values (invariant culture; strings fully escaped).</summary>
internal static class FSharpLiteral
{
    public const string Experiments = "DP.Runtime.Experiments";

    public static string String(string? value) => value is null ? "null" : QuotedString.Of(value, "\\u0000");

    /// <summary>An F# float literal: "R" text, with ".0" where it would read as an integer.</summary>
    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    /// <summary>The typed F# expression for a resolved option value (a nullable number is a System.Nullable).</summary>
    public static string Value(OptionDefinition option, string? text)
    {
        var plain = Plain(option, text);
        if (!option.Nullable || option.Kind is SpecValueKind.String) return plain;
        return text is null ? "System.Nullable()" : "System.Nullable(" + plain + ")";
    }

    private static string Plain(OptionDefinition option, string? text)
    {
        if (text is null) return "null";
        switch (option.Kind)
        {
            case SpecValueKind.Int: return text;
            case SpecValueKind.Double: return Double(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            case SpecValueKind.Bool: return text == "true" ? "true" : "false";
            case SpecValueKind.Enum:
                var choice = option.Choices.FirstOrDefault(c => c.Word == text);
                return Experiments + "." + option.EnumType + "." + (choice?.Member ?? option.Choices[0].Member);
            default: return String(text);
        }
    }
}
