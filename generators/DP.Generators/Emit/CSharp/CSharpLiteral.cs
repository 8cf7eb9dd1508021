using System.Globalization;
using DP.Generators.Model;

namespace DP.Generators.Emit.CSharp;

/// <summary>C# literals for spec values (invariant culture; strings fully escaped).</summary>
internal static class CSharpLiteral
{
    public const string Experiments = "global::DP.Runtime.Experiments";

    public static string String(string? value) => value is null ? "null" : QuotedString.Of(value, "\\0");

    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture) + "d";

    /// <summary>The typed C# expression for a resolved option value.</summary>
    public static string Value(OptionDefinition option, string? text)
    {
        if (text is null) return "null";
        switch (option.Kind)
        {
            case SpecValueKind.Int:
                return text;
            case SpecValueKind.Double:
                return Double(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
            case SpecValueKind.Bool:
                return text == "true" ? "true" : "false";
            case SpecValueKind.Enum:
                foreach (var choice in option.Choices)
                {
                    if (choice.Word == text) return Experiments + "." + option.EnumType + "." + choice.Member;
                }
                return "default";
            default:
                return String(text);
        }
    }

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
