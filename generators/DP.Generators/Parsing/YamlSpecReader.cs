using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DP.Generators.Parsing;

/// <summary>The outcome of reading a spec file: its YAML tree (null for an empty file) or the syntax error.</summary>
public sealed class RawDocument
{
    public RawDocument(RawNode? root, IReadOnlyList<DiagnosticInfo> errors)
    {
        Root = root;
        Errors = errors;
    }

    public RawNode? Root { get; }

    public IReadOnlyList<DiagnosticInfo> Errors { get; }
}

/// <summary>
/// Reads YAML with YamlDotNet's parser events (not its object model) so every key and value keeps its exact marks,
/// and duplicate keys reach the validator instead of failing the load.
/// </summary>
public static class YamlSpecReader
{
    private static readonly Regex MarkPrefix = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

    public static RawDocument Read(string path, string text)
    {
        var errors = new List<DiagnosticInfo>();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var reader = new NodeReader(parser, path, text);
        try
        {
            Next(parser); // StreamStart
            Next(parser);
            if (parser.Current is StreamEnd) return new RawDocument(null, errors);
            if (parser.Current is not DocumentStart) throw new YamlException("expected a document");
            Next(parser);
            RawNode? root = parser.Current is DocumentEnd ? null : reader.ReadNode(1);
            Next(parser); // DocumentEnd
            Next(parser);
            if (parser.Current is DocumentStart second)
            {
                errors.Add(DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, ToSpan(second.Start, second.End),
                    "a spec holds one YAML document, but a second one starts here ('---'); put each experiment in its own .dp.yaml file"));
            }
            return new RawDocument(root, errors);
        }
        catch (RejectedNodeException ex)
        {
            errors.Add(ex.Diagnostic);
            return new RawDocument(null, errors);
        }
        catch (YamlException ex)
        {
            errors.Add(TabIndentation.Locate(path, text, ex, parser.LastEnd) ?? SyntaxError(path, ex));
            return new RawDocument(null, errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1's scanner throws this (not a YamlException) for some malformed flow collections, e.g. an
            // unclosed '{' followed by a block list item. Point at the last part it could read.
            var at = parser.LastEnd;
            errors.Add(DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, ToSpan(at, at),
                "the YAML parser could not read past this point (an unclosed '{' or '[', or a value spilling onto the next line?)"));
            return new RawDocument(null, errors);
        }
    }

    private static DiagnosticInfo SyntaxError(string path, YamlException ex)
        => DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, ToSpan(ex.Start, ex.End), MarkPrefix.Replace(ex.Message, "").TrimEnd('.'));

    /// <summary>Remembers where the last successfully read event ended, for errors the parser reports without a mark.</summary>
    private sealed class TrackingParser : IParser
    {
        private readonly IParser _inner;

        public TrackingParser(IParser inner) => _inner = inner;

        public YamlDotNet.Core.Mark LastEnd { get; private set; } = YamlDotNet.Core.Mark.Empty;

        public ParsingEvent? Current => _inner.Current;

        public bool MoveNext()
        {
            if (_inner.Current is { } current) LastEnd = current.End;
            return _inner.MoveNext();
        }
    }

    /// <summary>A node the spec may not hold (a tag, nesting past the limit): stops the read with its diagnostic.</summary>
    private sealed class RejectedNodeException : Exception
    {
        public RejectedNodeException(DiagnosticInfo diagnostic) => Diagnostic = diagnostic;

        public DiagnosticInfo Diagnostic { get; }
    }

    private static void Next(IParser parser)
    {
        if (!parser.MoveNext()) throw new YamlException("unexpected end of the file");
    }

    /// <summary>Builds the raw tree from parser events; the depth bound keeps its recursion shallow whatever the input.</summary>
    private sealed class NodeReader
    {
        private readonly IParser _parser;
        private readonly string _path;
        private readonly string _text;
        private readonly Dictionary<string, RawNode> _anchors = new(StringComparer.Ordinal);

        public NodeReader(IParser parser, string path, string text)
        {
            _parser = parser;
            _path = path;
            _text = text;
        }

        // On entry parser.Current is the node's first event; on exit it is the node's last event.
        public RawNode ReadNode(int depth)
        {
            if (_parser.Current is NodeEvent node) Check(node, depth);
            switch (_parser.Current)
            {
                case Scalar scalar:
                {
                    var raw = new RawScalar(ToSpan(scalar.Start, scalar.End), scalar.Value, scalar.Style == ScalarStyle.Plain);
                    Remember(_anchors, scalar.Anchor, raw);
                    return raw;
                }
                case AnchorAlias alias:
                    if (_anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                    throw new YamlException(alias.Start, alias.End, "the alias *" + alias.Value.Value + " names no anchor defined before it");
                case SequenceStart start:
                {
                    var items = new List<RawNode>();
                    Next(_parser);
                    while (_parser.Current is not SequenceEnd)
                    {
                        items.Add(ReadNode(depth + 1));
                        Next(_parser);
                    }
                    var raw = new RawSequence(ToSpan(start.Start, _parser.Current.End), items);
                    Remember(_anchors, start.Anchor, raw);
                    return raw;
                }
                case MappingStart start:
                {
                    var entries = new List<RawEntry>();
                    Next(_parser);
                    while (_parser.Current is not MappingEnd)
                    {
                        var keyNode = ReadNode(depth + 1);
                        if (keyNode is not RawScalar key)
                        {
                            throw new YamlException(Mark(keyNode.Span), Mark(keyNode.Span), "a key must be a plain word, not " + keyNode.ShapeName);
                        }
                        if (start.Style == MappingStyle.Block && TabIndentation.CheckKey(_path, _text, key.Span) is { } tab) throw new RejectedNodeException(tab);
                        Next(_parser);
                        entries.Add(new RawEntry(key, ReadNode(depth + 1)));
                        Next(_parser);
                    }
                    var raw = new RawMapping(ToSpan(start.Start, _parser.Current.End), entries);
                    Remember(_anchors, start.Anchor, raw);
                    return raw;
                }
                default:
                    var current = _parser.Current!;
                    throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
            }
        }

        private void Check(NodeEvent node, int depth)
        {
            var span = ToSpan(node.Start, node.End);
            if (!node.Tag.IsEmpty)
            {
                throw new RejectedNodeException(DiagnosticInfo.Create(DiagnosticIds.YamlTag, _path, span, TagAsWritten(span)));
            }
            if (depth > SpecLimits.MaxNesting)
            {
                throw new RejectedNodeException(DiagnosticInfo.Create(DiagnosticIds.SpecLimit, _path, span,
                    "the nesting of lists and mappings here", SpecLimits.MaxNesting.ToString(System.Globalization.CultureInfo.InvariantCulture) + " levels",
                    "no spec key needs more than a few levels"));
            }
        }

        // The tag as the user wrote it (the parser only keeps its expanded form): from the node start to whitespace.
        private string TagAsWritten(SourceSpan span)
        {
            var end = span.Start;
            while (end < _text.Length && !char.IsWhiteSpace(_text[end]) && end - span.Start < 80) end++;
            return _text.Substring(span.Start, end - span.Start);
        }
    }

    private static void Remember(Dictionary<string, RawNode> anchors, AnchorName anchor, RawNode node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
    }

    private static YamlDotNet.Core.Mark Mark(SourceSpan span)
        => new(span.Start, span.StartLine + 1, span.StartColumn + 1);

    public static SourceSpan ToSpan(YamlDotNet.Core.Mark start, YamlDotNet.Core.Mark end)
    {
        var s = (int)start.Index;
        var e = Math.Max(s, (int)end.Index);
        var endLine = (int)end.Line - 1;
        var endColumn = (int)end.Column - 1;
        if (e == s || endLine < (int)start.Line - 1)
        {
            endLine = (int)start.Line - 1;
            endColumn = (int)start.Column - 1;
        }
        return new SourceSpan(s, e - s, Math.Max(0, (int)start.Line - 1), Math.Max(0, (int)start.Column - 1), Math.Max(0, endLine), Math.Max(0, endColumn));
    }
}
