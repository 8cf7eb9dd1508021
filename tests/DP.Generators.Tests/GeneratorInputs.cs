using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DP.Generators.Tests;

// The generator's inputs held in memory. Also compiled into tests/DP.Benchmarks (linked), which drives the
// generator the same way.

/// <summary>An additional file held in memory (what MSBuild passes for a *.dp.yaml item).</summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>build_property.* values as the compiler would see them.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
{
    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            => values.TryGetValue(key, out value);
    }

    private static readonly Options Empty = new(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globals);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
}

/// <summary>
/// An additional file given as bytes and decoded as the compiler would: <paramref name="encoding"/> null is lenient
/// UTF-8 (invalid bytes become U+FFFD, as SourceText.From does); otherwise the encoding csc falls back to when the
/// bytes are not valid UTF-8 (a single-byte code page such as Windows-1252).
/// </summary>
public sealed class BytesAdditionalText(string path, byte[] bytes, System.Text.Encoding? encoding = null) : AdditionalText
{
    private readonly SourceText _text = encoding is null
        ? SourceText.From(new MemoryStream(bytes))
        : SourceText.From(bytes, bytes.Length, encoding);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
