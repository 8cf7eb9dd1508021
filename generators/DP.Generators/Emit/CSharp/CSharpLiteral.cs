using System.Globalization;
using System.Text;
using DP.Generators.Model;

namespace DP.Generators.Emit.CSharp;

/// <summary>C# literals for spec values (invariant culture; strings fully escaped).</summary>
internal static class CSharpLiteral
{
    public const string Experiments = "global::DP.Runtime.Experiments";

    public static string String(string? value)
    {
        if (value is null) return "null";
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

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
