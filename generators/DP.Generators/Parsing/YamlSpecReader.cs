using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
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
        try
        {
            var anchors = new Dictionary<string, RawNode>(StringComparer.Ordinal);
            Next(parser); // StreamStart
            Next(parser);
            if (parser.Current is StreamEnd) return new RawDocument(null, errors);
            if (parser.Current is not DocumentStart) throw new YamlException("expected a document");
            Next(parser);
            RawNode? root = parser.Current is DocumentEnd ? null : ReadNode(parser, anchors);
            Next(parser); // DocumentEnd
            Next(parser);
            if (parser.Current is DocumentStart second)
            {
                errors.Add(DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, ToSpan(second.Start, second.End),
                    "a spec holds one YAML document, but a second one starts here ('---'); put each experiment in its own .dp.yaml file"));
            }
            return new RawDocument(root, errors);
        }
        catch (YamlException ex)
        {
            var message = MarkPrefix.Replace(ex.Message, "").TrimEnd('.');
            errors.Add(DiagnosticInfo.Create(DiagnosticIds.YamlSyntax, path, ToSpan(ex.Start, ex.End), message));
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

    private static void Next(IParser parser)
    {
        if (!parser.MoveNext()) throw new YamlException("unexpected end of the file");
    }

    // On entry parser.Current is the node's first event; on exit it is the node's last event.
    private static RawNode ReadNode(IParser parser, Dictionary<string, RawNode> anchors)
    {
        switch (parser.Current)
        {
            case Scalar scalar:
            {
                var node = new RawScalar(ToSpan(scalar.Start, scalar.End), scalar.Value, scalar.Style == ScalarStyle.Plain);
                Remember(anchors, scalar.Anchor, node);
                return node;
            }
            case AnchorAlias alias:
                if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(alias.Start, alias.End, "the alias *" + alias.Value.Value + " names no anchor defined before it");
            case SequenceStart start:
            {
                var items = new List<RawNode>();
                Next(parser);
                while (parser.Current is not SequenceEnd)
                {
                    items.Add(ReadNode(parser, anchors));
                    Next(parser);
                }
                var node = new RawSequence(ToSpan(start.Start, parser.Current.End), items);
                Remember(anchors, start.Anchor, node);
                return node;
            }
            case MappingStart start:
            {
                var entries = new List<RawEntry>();
                Next(parser);
                while (parser.Current is not MappingEnd)
                {
                    var keyNode = ReadNode(parser, anchors);
                    if (keyNode is not RawScalar key)
                    {
                        throw new YamlException(Mark(keyNode.Span), Mark(keyNode.Span), "a key must be a plain word, not " + keyNode.ShapeName);
                    }
                    Next(parser);
                    entries.Add(new RawEntry(key, ReadNode(parser, anchors)));
                    Next(parser);
                }
                var node = new RawMapping(ToSpan(start.Start, parser.Current.End), entries);
                Remember(anchors, start.Anchor, node);
                return node;
            }
            default:
                var current = parser.Current!;
                throw new YamlException(current.Start, current.End, "unexpected " + current.GetType().Name);
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
