using DP.Generators.Diagnostics;

namespace DP.Generators.Pipeline;

/// <summary>
/// A DP diagnostic the way a build log shows it: id, message, file and 1-based start/end line and column, as the
/// compiler prints a generator's diagnostic (<c>file(line,col,endLine,endCol): error DPxxxx: message</c>).
/// </summary>
public sealed record BuildDiagnostic(string Id, string Message, string File, int Line, int Column, int EndLine, int EndColumn)
{
    public static BuildDiagnostic From(DiagnosticInfo info)
    {
        var span = info.Span;
        return new BuildDiagnostic(info.Id, DiagnosticCatalog.Format(info), info.FilePath,
            span.StartLine + 1, span.StartColumn + 1, span.EndLine + 1, span.EndColumn + 1);
    }
}
