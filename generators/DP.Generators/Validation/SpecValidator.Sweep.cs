using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Parsing;

namespace DP.Generators.Validation;

// The sweep: section. Its keys are the override keys --set accepts (SpecSchema.Options), checked with the same
// ScalarConverter as the rest of the spec; the grid is expanded here so the trial count is known at build time.
public sealed partial class SpecValidator
{
    /// <summary>More trials than this is almost surely a mistake (and would bloat the generated table).</summary>
    public const int MaxSweepTrials = 10000;

    /// <summary>Largest <c>seeds: N</c>; seeds: N means training.seed 1..N.</summary>
    public const int MaxSweepSeeds = 1000;

    private const string SweepExample = "'sweep: { method.kind: [prompt, dynamic], seeds: 3 }'";

    // One axis of the grid: one or more keys (several for a zipped group) and the value tuples they take together.
    private sealed class SweepAxis
    {
        public List<string> Keys { get; } = new();
        public List<SourceSpan> KeySpans { get; } = new();
        public List<string[]> Tuples { get; } = new();
    }

    private sealed class SweepExclusion
    {
        public SweepExclusion(SourceSpan span) => Span = span;
        public SourceSpan Span { get; }
        public List<(string Key, string Value)> Matches { get; } = new();
    }

    private SweepSpec? BindSweep(RawEntry entry)
    {
        if (entry.Value is not RawMapping map)
        {
            Report(DiagnosticIds.WrongShape, entry.Value.Span, SpecSchema.Sweep, "a mapping of override keys to lists of values", entry.Value.ShapeName, SweepExample);
            return null;
        }
        var axes = new List<SweepAxis>();
        var swept = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var exclusionNodes = new List<RawEntry>();
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var item in map.Entries)
        {
            var name = item.Key.Value;
            if (seen.TryGetValue(name, out var firstSpan))
            {
                Report(DiagnosticIds.DuplicateKey, item.Key.Span, name, (firstSpan.StartLine + 1).ToString(CultureInfo.InvariantCulture));
                continue;
            }
            seen[name] = item.Key.Span;
            switch (name)
            {
                case SpecSchema.SweepSeeds:
                    AddAxis(axes, swept, BindSeeds(item));
                    break;
                case SpecSchema.SweepZip:
                    foreach (var group in BindZip(item)) AddAxis(axes, swept, group);
                    break;
                case SpecSchema.SweepExclude:
                    exclusionNodes.Add(item);
                    break;
                default:
                    AddAxis(axes, swept, BindSweptKey(item.Key, item.Value));
                    break;
            }
        }
        if (_diagnostics.Count > 0) return null;
        if (axes.Count == 0)
        {
            Report(DiagnosticIds.SweepTrials, entry.Key.Span, "the sweep declares no axis; add e.g. 'seeds: 3' or 'method.kind: [prompt, dynamic]'");
            return null;
        }
        long count = 1;
        foreach (var axis in axes) count *= axis.Tuples.Count;
        if (count > MaxSweepTrials)
        {
            Report(DiagnosticIds.SweepTrials, entry.Key.Span,
                "the sweep has " + count.ToString(CultureInfo.InvariantCulture) + " trials, more than " + MaxSweepTrials.ToString(CultureInfo.InvariantCulture) + "; sweep fewer values");
            return null;
        }
        var keys = axes.SelectMany(a => a.Keys).ToList();
        var exclusions = exclusionNodes.SelectMany(e => BindExclusions(e, axes)).ToList();
        if (_diagnostics.Count > 0) return null;

        var trials = new List<SweepTrialSpec>();
        var used = new bool[exclusions.Count];
        foreach (var values in Expand(axes))
        {
            var excludedBy = exclusions.FindIndex(x => x.Matches.All(m => values[keys.IndexOf(m.Key)] == m.Value));
            if (excludedBy >= 0)
            {
                used[excludedBy] = true;
                continue;
            }
            trials.Add(new SweepTrialSpec(values.ToEquatableArray()));
        }
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (!used[i]) Report(DiagnosticIds.SweepExclusion, exclusions[i].Span, "this exclusion matches no trial of the grid (or only trials an earlier one removed); remove it");
        }
        if (trials.Count == 0) Report(DiagnosticIds.SweepTrials, entry.Key.Span, "the exclusions remove every trial of the sweep");
        return _diagnostics.Count == 0 ? new SweepSpec(keys.ToEquatableArray(), trials.ToEquatableArray()) : null;
    }

    private void AddAxis(List<SweepAxis> axes, Dictionary<string, SourceSpan> swept, SweepAxis? axis)
    {
        if (axis is null) return;
        for (var i = 0; i < axis.Keys.Count; i++)
        {
            if (swept.TryGetValue(axis.Keys[i], out var first))
            {
                Report(DiagnosticIds.SweepAxis, axis.KeySpans[i],
                    "'" + axis.Keys[i] + "' is swept twice (first at line " + (first.StartLine + 1).ToString(CultureInfo.InvariantCulture) + "); give each key one list"
                    + (axis.Keys[i] == SpecSchema.SeedKey ? " ('seeds' is training.seed)" : ""));
                return;
            }
            swept[axis.Keys[i]] = axis.KeySpans[i];
        }
        axes.Add(axis);
    }

    // seeds: N (training.seed 1..N) or seeds: [s1, s2, ...].
    private SweepAxis? BindSeeds(RawEntry item)
    {
        if (item.Value is RawScalar { IsNull: false } count)
        {
            if (!int.TryParse(count.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxSweepSeeds)
            {
                Report(DiagnosticIds.WrongType, count.Span, "sweep.seeds", "a count 1.." + MaxSweepSeeds.ToString(CultureInfo.InvariantCulture) + " or a list of seeds", count.Value, "'seeds: 3' or 'seeds: [13, 42, 87]'");
                return null;
            }
            var axis = new SweepAxis();
            axis.Keys.Add(SpecSchema.SeedKey);
            axis.KeySpans.Add(item.Key.Span);
            for (var s = 1; s <= n; s++) axis.Tuples.Add(new[] { s.ToString(CultureInfo.InvariantCulture) });
            return axis;
        }
        return BindSweptKey(item.Key, item.Value, SpecSchema.SeedKey);
    }

    // key: [v1, v2, ...] — the key must be one --set accepts, every value valid for it.
    private SweepAxis? BindSweptKey(RawScalar keyNode, RawNode value, string? keyOverride = null)
    {
        var key = keyOverride ?? keyNode.Value;
        var values = BindSweptValues(keyNode, value, key);
        if (values is null) return null;
        var axis = new SweepAxis();
        axis.Keys.Add(key);
        axis.KeySpans.Add(keyNode.Span);
        foreach (var v in values) axis.Tuples.Add(new[] { v });
        return axis;
    }

    // allowRepeats: a zipped list may repeat a value (its group's tuples must still differ).
    private List<string>? BindSweptValues(RawScalar keyNode, RawNode value, string key, bool allowRepeats = false)
    {
        var option = SweptOption(keyNode, key);
        if (option is null) return null;
        if (value is not RawSequence list || list.Items.Count == 0)
        {
            Report(DiagnosticIds.WrongShape, value.Span, "sweep." + keyNode.Value, "a non-empty list of values", value.ShapeName,
                "'" + keyNode.Value + ": [" + (option.DefaultText ?? "value") + ", ...]'");
            return null;
        }
        var values = new List<string>();
        foreach (var item in list.Items)
        {
            if (item is not RawScalar raw)
            {
                Report(DiagnosticIds.WrongShape, item.Span, "sweep." + keyNode.Value + " item", "a single value", item.ShapeName, ScalarConverter.Example(option));
                continue;
            }
            var text = ConvertSweepValue(option, raw);
            if (text is null) continue;
            if (!allowRepeats && values.Contains(text))
            {
                Report(DiagnosticIds.SweepAxis, raw.Span, "'" + key + "' lists the value '" + raw.Value + "' twice; each trial must differ");
                continue;
            }
            values.Add(text);
        }
        return values.Count == list.Items.Count ? values : null;
    }

    // The value as --set takes it: the converter's canonical text; null for a nullable key.
    private string? ConvertSweepValue(OptionDefinition option, RawScalar raw)
    {
        var converted = ScalarConverter.Convert(option, raw.Value, raw.IsNull);
        if (!converted.Ok)
        {
            Report(converted.ErrorId!, raw.Span, converted.Args);
            return null;
        }
        return converted.Text ?? "null";
    }

    private OptionDefinition? SweptOption(RawScalar keyNode, string key)
    {
        if (SpecSchema.Find(key) is { } option) return option;
        var allowed = SweepWords.Concat(SpecSchema.Options.Select(o => o.Key)).ToList();
        var hint = SpecSchema.StructuredKeys.Contains(key) ? " (it cannot be swept)" : Suggestions.DidYouMean(key, allowed);
        Report(DiagnosticIds.UnknownKey, keyNode.Span, keyNode.Value, "under 'sweep'", hint,
            "seeds, zip, exclude or a dotted key --set accepts, such as training.learning_rate");
        return null;
    }

    private static readonly string[] SweepWords = { SpecSchema.SweepSeeds, SpecSchema.SweepZip, SpecSchema.SweepExclude };

    // zip: [ { key1: [a, b], key2: [c, d] }, ... ] — the keys of one group move together (a with c, b with d).
    private IEnumerable<SweepAxis> BindZip(RawEntry item)
    {
        const string example = "'zip: [ { method.kind: [prompt, dynamic], method.position: [prefix, instance] } ]'";
        var groups = item.Value is RawSequence s ? s.Items : item.Value is RawMapping ? new[] { item.Value } : null;
        if (groups is null)
        {
            Report(DiagnosticIds.WrongShape, item.Value.Span, "sweep.zip", "a list of mappings", item.Value.ShapeName, example);
            yield break;
        }
        foreach (var group in groups)
        {
            if (group is not RawMapping map || map.Entries.Count == 0)
            {
                Report(DiagnosticIds.WrongShape, group.Span, "sweep.zip item", "a mapping of keys to lists of values", group.ShapeName, example);
                continue;
            }
            var axis = new SweepAxis();
            var columns = new List<List<string>>();
            foreach (var e in map.Entries)
            {
                var key = e.Key.Value == SpecSchema.SweepSeeds ? SpecSchema.SeedKey : e.Key.Value;
                var values = BindSweptValues(e.Key, e.Value, key, allowRepeats: true);
                if (values is null) continue;
                if (columns.Count > 0 && values.Count != columns[0].Count)
                {
                    Report(DiagnosticIds.SweepAxis, e.Value.Span,
                        "zipped '" + e.Key.Value + "' has " + values.Count.ToString(CultureInfo.InvariantCulture) + " values but '" + axis.Keys[0] + "' has "
                        + columns[0].Count.ToString(CultureInfo.InvariantCulture) + "; zipped lists go together pairwise and need the same length");
                    continue;
                }
                axis.Keys.Add(key);
                axis.KeySpans.Add(e.Key.Span);
                columns.Add(values);
            }
            if (columns.Count != map.Entries.Count) continue;
            for (var row = 0; row < columns[0].Count; row++) axis.Tuples.Add(columns.Select(c => c[row]).ToArray());
            var repeated = axis.Tuples.Select((t, row) => (Text: string.Join("\n", t), Row: row)).GroupBy(t => t.Text).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                Report(DiagnosticIds.SweepAxis, map.Span, "this zipped group has the same values at positions "
                    + string.Join(" and ", repeated.Select(r => (r.Row + 1).ToString(CultureInfo.InvariantCulture))) + "; each trial must differ");
                continue;
            }
            yield return axis;
        }
    }

    // exclude: [ { key: value, ... }, ... ] — a trial is left out when it has every value of one entry.
    private IEnumerable<SweepExclusion> BindExclusions(RawEntry item, List<SweepAxis> axes)
    {
        const string example = "'exclude: [ { method.kind: prompt, training.learning_rate: 0.3 } ]'";
        if (item.Value is not RawSequence list)
        {
            Report(DiagnosticIds.WrongShape, item.Value.Span, "sweep.exclude", "a list of mappings", item.Value.ShapeName, example);
            yield break;
        }
        foreach (var node in list.Items)
        {
            if (node is not RawMapping map || map.Entries.Count == 0)
            {
                Report(DiagnosticIds.WrongShape, node.Span, "sweep.exclude item", "a mapping of swept keys to values", node.ShapeName, example);
                continue;
            }
            var exclusion = new SweepExclusion(node.Span);
            foreach (var e in map.Entries)
            {
                var key = e.Key.Value == SpecSchema.SweepSeeds ? SpecSchema.SeedKey : e.Key.Value;
                var option = SweptOption(e.Key, key);
                if (option is null) continue;
                var axis = axes.FirstOrDefault(a => a.Keys.Contains(key));
                if (axis is null)
                {
                    Report(DiagnosticIds.SweepExclusion, e.Key.Span, "'" + e.Key.Value + "' is not swept, so excluding by it matches nothing; name a swept key");
                    continue;
                }
                if (e.Value is not RawScalar raw)
                {
                    Report(DiagnosticIds.WrongShape, e.Value.Span, "sweep.exclude." + e.Key.Value, "a single value", e.Value.ShapeName, ScalarConverter.Example(option));
                    continue;
                }
                var text = ConvertSweepValue(option, raw);
                if (text is null) continue;
                var column = axis.Keys.IndexOf(key);
                if (!axis.Tuples.Any(t => t[column] == text))
                {
                    Report(DiagnosticIds.SweepExclusion, raw.Span, "'" + raw.Value + "' is not one of the swept values of '" + key + "' (" + string.Join(", ", axis.Tuples.Select(t => t[column])) + ")");
                    continue;
                }
                exclusion.Matches.Add((key, text));
            }
            if (exclusion.Matches.Count == map.Entries.Count) yield return exclusion;
        }
    }

    // The cartesian product of the axes, the last axis varying fastest; each trial's values in key order.
    private static IEnumerable<string[]> Expand(List<SweepAxis> axes)
    {
        var index = new int[axes.Count];
        while (true)
        {
            yield return axes.SelectMany((a, i) => a.Tuples[index[i]]).ToArray();
            var d = axes.Count - 1;
            while (d >= 0 && ++index[d] == axes[d].Tuples.Count)
            {
                index[d] = 0;
                d--;
            }
            if (d < 0) yield break;
        }
    }
}
