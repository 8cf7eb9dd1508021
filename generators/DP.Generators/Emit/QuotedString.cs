using System.Globalization;
using System.Text;

namespace DP.Generators.Emit;

/// <summary>A double-quoted string literal with the escapes C# and F# share (\" \\ \n \r \t \uXXXX).</summary>
internal static class QuotedString
{
    /// <param name="nulEscape">How U+0000 is written: C# has \0; F# must not (a backslash and three digits is a decimal code there).</param>
    public static string Of(string value, string nulEscape)
    {
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
                case '\0': sb.Append(nulEscape); break;
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
}
