using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Parsing;

namespace DP.Generators.Validation;

/// <summary>
/// Spec text → validated <see cref="ExperimentSpec"/>: reads the YAML, binds every key against <see cref="SpecSchema"/>
/// (types, ranges, choice words, unknown and duplicate keys), then applies the cross-field rules.
/// Every problem becomes a located diagnostic; a spec with any diagnostic yields no model.
/// </summary>
public sealed partial class SpecValidator
{
    private readonly string _path;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private string _text = "";

    private SpecValidator(string path) => _path = path;

    public static SpecValidationResult Validate(string path, string text, EncodingProblem? encoding = null)
    {
        var validator = new SpecValidator(path);
        var spec = encoding is null ? validator.Run(text) : validator.ReportEncoding(text, encoding);
        var diagnostics = validator._diagnostics.Select(d => d with { Span = ClampToText(d.Span, text) }).ToEquatableArray();
        return new SpecValidationResult(path, diagnostics.IsEmpty ? spec : null, diagnostics);
    }

    // End-of-file marks can sit one line past the text; keep every location inside the file.
    private static SourceSpan ClampToText(SourceSpan span, string text)
    {
        if (span.Start + span.Length <= text.Length && span.EndLine <= CountLines(text)) return span;
        return SourceSpan.At(text, Math.Min(span.Start, text.Length), 0);
    }

    private static int CountLines(string text) => text.Count(c => c == '\n');

    // Text decoded from bytes that were not UTF-8 is not what the user wrote: report where, and read no further.
    private ExperimentSpec? ReportEncoding(string text, EncodingProblem problem)
    {
        Report(DiagnosticIds.InvalidEncoding, SourceSpan.At(text, problem.Offset, 1), problem.Found);
        return null;
    }

    private void Report(string id, SourceSpan span, params string[] args)
        => _diagnostics.Add(DiagnosticInfo.Create(id, _path, span, args));

    private ExperimentSpec? Run(string text)
    {
        _text = text;
        var document = YamlSpecReader.Read(_path, text);
        _diagnostics.AddRange(document.Errors);
        if (document.Errors.Count > 0) return null;

        var bound = new BoundSpec();
        switch (document.Root)
        {
            case null:
                break;
            case RawScalar { IsNull: true }:
                break;
            case RawMapping root:
                BindMapping(root, "", bound, null);
                break;
            default:
                Report(DiagnosticIds.WrongShape, document.Root.Span, "the spec", "a mapping of keys", document.Root.ShapeName, "'experiment: my-experiment'");
                return null;
        }

        if (bound.Name is null && !_diagnostics.Any(d => d.Id is DiagnosticIds.InvalidName or DiagnosticIds.SpecLimit))
        {
            Report(DiagnosticIds.MissingKey, SourceSpan.FileStart, SpecSchema.Experiment, "'experiment: my-experiment' as the first line");
        }
        if (bound.Task is null)
        {
            Report(DiagnosticIds.MissingKey, SourceSpan.FileStart, "task", "'task: { kind: superglue, superglue: rte }'");
        }
        if (_diagnostics.Count > 0 || bound.Name is null || bound.Task is null) return null;

        ApplyPreset(bound);
        var spec = Resolve(bound);
        if (bound.SweepEntry is { } sweep && _diagnostics.Count == 0) spec = spec with { Sweep = BindSweep(sweep) };
        return _diagnostics.Count == 0 ? spec : null;
    }

    // Binds the keys of one mapping found at dotted path 'parent' ("" = top level, "task" for a multitask entry).
    private void BindMapping(RawMapping mapping, string parent, BoundSpec spec, BoundTask? task)
    {
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var name = entry.Key.Value;
            if (seen.TryGetValue(name, out var first))
            {
                Report(DiagnosticIds.DuplicateKey, entry.Key.Span, name, (first.StartLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            seen[name] = entry.Key.Span;
            var key = parent.Length == 0 ? name : parent + "." + name;
            BindEntry(key, parent, entry, spec, task);
        }
    }

    private void BindEntry(string key, string parent, RawEntry entry, BoundSpec spec, BoundTask? task)
    {
        var value = entry.Value;
        if (key == SpecSchema.Experiment)
        {
            if (value is not RawScalar scalar || scalar.IsNull)
            {
                Report(DiagnosticIds.WrongShape, value.Span, key, "a name", value.ShapeName, "'experiment: sentiment-dp'");
                return;
            }
            if (ReportIfTooLong("experiment name", scalar.Value, scalar.Span)) return;
            if (!SpecScalars.IsValidExperimentName(scalar.Value))
            {
                Report(DiagnosticIds.InvalidName, scalar.Span, scalar.Value);
                return;
            }
            spec.Name = scalar.Value;
            spec.NameSpan = scalar.Span;
            return;
        }

        if (key == SpecPresets.Key && parent.Length == 0)
        {
            BindPreset(value, spec);
            return;
        }

        if (key == SpecSchema.Sweep && parent.Length == 0)
        {
            spec.SweepEntry = entry;
            return;
        }

        if (key == "task" && parent.Length == 0)
        {
            if (AsMapping(key, value, "'task: { kind: superglue, superglue: rte }'") is { } taskMap)
            {
                spec.Task = new BoundTask(entry.Key.Span, isMain: true);
                BindMapping(taskMap, "task", spec, spec.Task);
            }
            return;
        }

        if (SpecSchema.Groups.Contains(key))
        {
            if (AsMapping(key, value, "'" + entry.Key.Value + ":' followed by indented keys") is { } group)
            {
                if (key == SpecSchema.FewShotGroup && task is not null) task.FewShotSpan = entry.Key.Span;
                BindMapping(group, key, spec, task);
            }
            return;
        }

        if (key == SpecSchema.TaskFields && task is not null)
        {
            BindFields(entry, task);
            return;
        }
        if (key == SpecSchema.TaskLabels && task is not null)
        {
            BindLabels(entry, task);
            return;
        }
        if (key == SpecSchema.TaskMultitask && task is not null)
        {
            BindMultitask(entry, spec, task);
            return;
        }

        var option = SpecSchema.Find(key);
        if (option is null)
        {
            var allowed = SpecSchema.ChildNames(parent).Where(n => !(task is { IsMain: false } && IsMainTaskOnly(parent, n))).ToList();
            var where = parent.Length == 0 ? "at the top level" : "under '" + parent + "'";
            Report(DiagnosticIds.UnknownKey, entry.Key.Span, entry.Key.Value, where, Suggestions.DidYouMean(entry.Key.Value, allowed), Suggestions.List(allowed));
            return;
        }
        if (option.MainTaskOnly && task is { IsMain: false })
        {
            Report(DiagnosticIds.TaskRule, entry.Key.Span,
                "'" + option.Name + "' belongs to the main task, not to a multitask entry; move it up under 'task:'");
            return;
        }
        if (value is not RawScalar raw)
        {
            Report(DiagnosticIds.WrongShape, value.Span, key, "a single value", value.ShapeName, ScalarConverter.Example(option));
            return;
        }
        var converted = ScalarConverter.Convert(option, raw.Value, raw.IsNull);
        if (!converted.Ok)
        {
            Report(converted.ErrorId!, raw.Span, converted.Args);
            return;
        }
        var target = option.Scope == OptionScope.Task ? task!.Values : spec.Values;
        target[key] = new BoundValue(option, converted.Text, entry.Key.Span, raw.Span);
    }

    private static bool IsMainTaskOnly(string parent, string name)
        => parent == "task" && (name == "multitask" || SpecSchema.Find("task." + name)?.MainTaskOnly == true);

    private RawMapping? AsMapping(string key, RawNode value, string example)
    {
        if (value is RawMapping map) return map;
        if (value is RawScalar { IsNull: true }) return new RawMapping(value.Span, Array.Empty<RawEntry>());
        Report(DiagnosticIds.WrongShape, value.Span, key, "a mapping", value.ShapeName, example);
        return null;
    }

    private void BindFields(RawEntry entry, BoundTask task)
    {
        var list = new List<(string, SourceSpan)>();
        task.FieldsSpan = entry.Key.Span;
        if (entry.Value is RawSequence sequence)
        {
            foreach (var item in sequence.Items)
            {
                if (item is RawScalar { IsNull: false } s) list.Add((s.Value, s.Span));
                else Report(DiagnosticIds.WrongShape, item.Span, SpecSchema.TaskFields + " item", "a field name", item.ShapeName, "'fields: [premise, hypothesis]'");
            }
        }
        else if (!(entry.Value is RawScalar { IsNull: true }))
        {
            Report(DiagnosticIds.WrongShape, entry.Value.Span, SpecSchema.TaskFields, "a list", entry.Value.ShapeName, "'fields: [premise, hypothesis]'");
            return;
        }
        task.Fields = list;
    }

    private void BindLabels(RawEntry entry, BoundTask task)
    {
        task.LabelsSpan = entry.Key.Span;
        if (entry.Value is not RawMapping map)
        {
            if (!(entry.Value is RawScalar { IsNull: true }))
            {
                Report(DiagnosticIds.WrongShape, entry.Value.Span, SpecSchema.TaskLabels, "a mapping of label value to word", entry.Value.ShapeName, "'labels: { positive: great, negative: terrible }'");
                return;
            }
            task.Labels = new List<(string, string)>();
            return;
        }
        var labels = new List<(string, string)>();
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var label in map.Entries)
        {
            if (seen.TryGetValue(label.Key.Value, out var first))
            {
                Report(DiagnosticIds.DuplicateKey, label.Key.Span, label.Key.Value, (first.StartLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            seen[label.Key.Value] = label.Key.Span;
            if (label.Value is RawScalar { IsNull: false } word && word.Value.Trim().Length > 0)
            {
                labels.Add((label.Key.Value, word.Value));
            }
            else
            {
                Report(DiagnosticIds.WrongShape, label.Value.Span, SpecSchema.TaskLabels + "." + label.Key.Value, "a verbalizer word", label.Value.ShapeName, "'" + label.Key.Value + ": great'");
            }
        }
        task.Labels = labels;
    }

    private void BindMultitask(RawEntry entry, BoundSpec spec, BoundTask task)
    {
        if (!task.IsMain)
        {
            Report(DiagnosticIds.TaskRule, entry.Key.Span, "a multitask entry cannot have its own 'multitask'; list every task under the main task's 'multitask'");
            return;
        }
        task.MultitaskSpan = entry.Key.Span;
        if (entry.Value is RawScalar { IsNull: true }) return;
        if (entry.Value is not RawSequence sequence)
        {
            Report(DiagnosticIds.WrongShape, entry.Value.Span, SpecSchema.TaskMultitask, "a list of tasks", entry.Value.ShapeName, "'multitask: [ { kind: superglue, superglue: boolq } ]'");
            return;
        }
        foreach (var item in sequence.Items)
        {
            if (item is not RawMapping map)
            {
                Report(DiagnosticIds.WrongShape, item.Span, SpecSchema.TaskMultitask + " item", "a task mapping", item.ShapeName, "'- { kind: superglue, superglue: boolq }'");
                continue;
            }
            var sub = new BoundTask(map.Span, isMain: false);
            BindMapping(map, "task", spec, sub);
            task.Multitask.Add(sub);
        }
    }

    // Names become parts of C# identifiers, which the compiler limits (CS7013 past 1,024 characters).
    private bool ReportIfTooLong(string what, string name, SourceSpan span)
    {
        if (name.Length <= SpecLimits.MaxNameLength) return false;
        var count = name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Report(DiagnosticIds.SpecLimit, span, what + " '" + name.Substring(0, 16) + "…' (" + count + " characters)",
            SpecLimits.MaxNameLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters", "choose a shorter name");
        return true;
    }


    /// <summary>"sentiment-dp" → "SentimentDpExperiment".</summary>
    public static string TypeNameFor(string experimentName)
    {
        var sb = new StringBuilder();
        foreach (var part in experimentName.Split(new[] { '-' }, StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
        }
        // A C# identifier cannot start with a digit: "2024-rte" → "_2024RteExperiment".
        if (sb.Length > 0 && char.IsDigit(sb[0])) sb.Insert(0, '_');
        return sb.Append("Experiment").ToString();
    }

    /// <summary>"span1_text" → "Span1Text": the property name a record field gets in generated code.</summary>
    public static string PropertyNameFor(string field)
    {
        var sb = new StringBuilder();
        foreach (var part in field.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
        }
        return sb.Length == 0 ? "Field" : sb.ToString();
    }

    internal static string FileNameOf(string path)
    {
        try
        {
            return Path.GetFileName(path);
        }
        catch (ArgumentException)
        {
            return path;
        }
    }
}
