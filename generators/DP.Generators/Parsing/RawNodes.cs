using System.Collections.Generic;
using DP.Generators.Model;

namespace DP.Generators.Parsing;

/// <summary>
/// The spec as written: a YAML tree where every key and value keeps its exact span. Only the validator reads it;
/// it never flows between pipeline steps.
/// </summary>
public abstract class RawNode
{
    protected RawNode(SourceSpan span) => Span = span;

    public SourceSpan Span { get; }

    /// <summary>How the node is named in messages ("a mapping", "a list", "a value").</summary>
    public abstract string ShapeName { get; }
}

public sealed class RawScalar : RawNode
{
    public RawScalar(SourceSpan span, string value, bool plain) : base(span)
    {
        Value = value;
        IsPlain = plain;
    }

    public string Value { get; }

    /// <summary>Unquoted (plain) scalar: may mean null, a number or a boolean.</summary>
    public bool IsPlain { get; }

    /// <summary>YAML's null: an empty plain value, ~ or null.</summary>
    public bool IsNull => IsPlain && SpecScalars.IsNull(Value);

    public override string ShapeName => IsNull ? "empty" : "a single value";
}

public sealed class RawEntry
{
    public RawEntry(RawScalar key, RawNode value)
    {
        Key = key;
        Value = value;
    }

    public RawScalar Key { get; }

    public RawNode Value { get; }
}

public sealed class RawMapping : RawNode
{
    public RawMapping(SourceSpan span, IReadOnlyList<RawEntry> entries) : base(span) => Entries = entries;

    public IReadOnlyList<RawEntry> Entries { get; }

    public override string ShapeName => "a mapping";
}

public sealed class RawSequence : RawNode
{
    public RawSequence(SourceSpan span, IReadOnlyList<RawNode> items) : base(span) => Items = items;

    public IReadOnlyList<RawNode> Items { get; }

    public override string ShapeName => "a list";
}
