using System.Collections.Generic;
using DP.Generators.Model;
using DP.Generators.Parsing;

namespace DP.Generators.Validation;

/// <summary>A key the spec wrote explicitly, with its converted value and where key and value are.</summary>
internal sealed class BoundValue
{
    public BoundValue(OptionDefinition option, string? text, SourceSpan keySpan, SourceSpan valueSpan)
    {
        Option = option;
        Text = text;
        KeySpan = keySpan;
        ValueSpan = valueSpan;
    }

    public OptionDefinition Option { get; }

    public string? Text { get; }

    public SourceSpan KeySpan { get; }

    public SourceSpan ValueSpan { get; }
}

/// <summary>A task as the spec wrote it, before defaults and cross-field rules.</summary>
internal sealed class BoundTask
{
    public BoundTask(SourceSpan span, bool isMain)
    {
        Span = span;
        IsMain = isMain;
    }

    public SourceSpan Span { get; }

    public bool IsMain { get; }

    public Dictionary<string, BoundValue> Values { get; } = new();

    public List<(string Name, SourceSpan Span)>? Fields { get; set; }

    public SourceSpan FieldsSpan { get; set; } = SourceSpan.FileStart;

    public List<(string Value, string Word)>? Labels { get; set; }

    public SourceSpan LabelsSpan { get; set; } = SourceSpan.FileStart;

    public SourceSpan? FewShotSpan { get; set; }

    public List<BoundTask> Multitask { get; } = new();

    public SourceSpan? MultitaskSpan { get; set; }

    public BoundValue? Get(string key) => Values.TryGetValue(key, out var v) ? v : null;
}

/// <summary>The whole spec as written.</summary>
internal sealed class BoundSpec
{
    public string? Name { get; set; }

    public SourceSpan NameSpan { get; set; } = SourceSpan.FileStart;

    public Dictionary<string, BoundValue> Values { get; } = new();

    public BoundTask? Task { get; set; }

    /// <summary>The spec's preset and where its value is written.</summary>
    public (SpecPreset Preset, SourceSpan Span)? Preset { get; set; }

    /// <summary>The <c>sweep:</c> entry, bound once the rest of the spec is valid.</summary>
    public RawEntry? SweepEntry { get; set; }

    public BoundValue? Get(string key) => Values.TryGetValue(key, out var v) ? v : null;
}
