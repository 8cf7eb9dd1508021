using DP.Generators.Model;

namespace DP.Generators.Diagnostics;

/// <summary>
/// A diagnostic as plain equatable data (id, file, span, message arguments). It becomes a Roslyn Diagnostic only at
/// the output step, so pipeline steps that carry it stay cacheable.
/// </summary>
public sealed record DiagnosticInfo(string Id, string FilePath, SourceSpan Span, EquatableArray<string> Args)
{
    public static DiagnosticInfo Create(string id, string filePath, SourceSpan span, params string[] args)
        => new(id, filePath, span, args.ToEquatableArray());
}
