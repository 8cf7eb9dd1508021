using System;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using YamlDotNet.Core;

namespace DP.Generators.Parsing;

/// <summary>
/// YAML indents with spaces only. YamlDotNet reports a tab in the indentation without a mark (so at 1,1) or at the
/// end of the line before, and accepts some tab-indented keys; this finds the tab itself.
/// </summary>
internal static class TabIndentation
{
    private const string Message = "a tab in the indentation (YAML indents with spaces only)";

    /// <summary>For a parser error about a tab: the first tab-indented line from the error (or the last read event) on.</summary>
    public static DiagnosticInfo? Locate(string path, string text, YamlException error, Mark lastRead)
    {
        if (error.Message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) < 0) return null;
        var from = error.Start.Index > 0 ? error.Start.Index : lastRead.Index;
        var lineStart = LineStart(text, (int)Math.Min(from, text.Length));
        while (lineStart < text.Length)
        {
            var tab = TabInIndentation(text, lineStart);
            if (tab >= 0) return At(path, text, tab);
            var next = text.IndexOf('\n', lineStart);
            if (next < 0) break;
            lineStart = next + 1;
        }
        return null;
    }

    /// <summary>A block mapping key whose line is indented with a tab (YamlDotNet reads some of them as if spaces).</summary>
    public static DiagnosticInfo? CheckKey(string path, string text, SourceSpan key)
    {
        var tab = TabInIndentation(text, LineStart(text, Math.Min(key.Start, text.Length)));
        return tab >= 0 && tab < key.Start ? At(path, text, tab) : null;
    }

    // The offset of a tab among the line's leading blanks, or -1 (a tab after a list dash is separation, not indentation).
    private static int TabInIndentation(string text, int lineStart)
    {
        for (var i = lineStart; i < text.Length; i++)
        {
            if (text[i] == '\t') return i;
            if (text[i] != ' ') return -1;
        }
        return -1;
    }

    private static int LineStart(string text, int offset)
        => offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;

    private static DiagnosticInfo At(string path, string text, int offset)
        => DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, SourceSpan.At(text, offset, 1), Message);
}
