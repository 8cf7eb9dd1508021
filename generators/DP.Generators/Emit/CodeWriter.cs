using System.Text;

namespace DP.Generators.Emit;

/// <summary>A tiny indenting writer so emitted code (C# or F#) is readable and stable for snapshots.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
        _sb.Append('\n');
        return this;
    }

    public CodeWriter Open(string text)
    {
        Line(text);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>A line, then the lines after it one level deeper (F# blocks have no braces).</summary>
    public CodeWriter Indent(string text)
    {
        Line(text);
        _indent++;
        return this;
    }

    public CodeWriter Dedent()
    {
        _indent--;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _sb.ToString();
}
