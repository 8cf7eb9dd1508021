namespace DP.Generators.Model;

/// <summary>
/// Where something sits in a spec file: character offset and length, and 0-based line/column of both ends
/// (editors show them 1-based). Plain data so it can flow through cached pipeline steps.
/// </summary>
public sealed record SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static SourceSpan FileStart { get; } = new(0, 0, 0, 0, 0, 0);
}
