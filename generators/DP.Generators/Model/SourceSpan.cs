namespace DP.Generators.Model;

/// <summary>
/// Where something sits in a spec file: character offset and length, and 0-based line/column of both ends
/// (editors show them 1-based). Plain data so it can flow through cached pipeline steps.
/// </summary>
public sealed record SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpan FileStart { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The span of <paramref name="length"/> characters at <paramref name="offset"/>, on one line of <paramref name="text"/>.</summary>
    public static SourceSpan At(string text, int offset, int length)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        var column = offset - lineStart;
        return new SourceSpan(offset, length, line, column, line, column + length);
    }
}
