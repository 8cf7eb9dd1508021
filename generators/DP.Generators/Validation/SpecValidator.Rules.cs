using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using DP.Generators.Diagnostics;
using DP.Generators.Model;

namespace DP.Generators.Validation;

// Cross-field rules and default resolution: runs once every key has bound to a well-typed value.
public sealed partial class SpecValidator
{
    private static readonly Regex TemplateField = new(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);

    /// <summary>The template's mask placeholder, as DP.Runtime's PromptTemplate.MaskField reads it (the generator cannot reference the runtime).</summary>
    private const string MaskPlaceholder = "mask";
    private static readonly Regex Identifier = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    private ExperimentSpec Resolve(BoundSpec bound)
    {
        var method = bound.Get("method.kind")?.Text ?? "dynamic";
        CheckMethod(bound, method);
        var task = ResolveTask(bound.Task!);
        CheckTraining(bound, task);

        var settings = new List<SpecSetting>();
        foreach (var option in SpecSchema.Options.Where(o => o.Scope != OptionScope.Task))
        {
            string? text;
            if (bound.Values.TryGetValue(option.Key, out var v)) text = v.Text;
            else if (option.Key == "training.best_metric") text = SpecSchema.DefaultBestMetric(task.Get("task.kind")!, task.Get("task.superglue")!);
            else text = option.DefaultText;
            settings.Add(new SpecSetting(option.Key, text));
        }
        return new ExperimentSpec(bound.Name!, TypeNameFor(bound.Name!), _path, FileNameOf(_path), bound.NameSpan, settings.ToEquatableArray(), task);
    }

    private void CheckMethod(BoundSpec bound, string method)
    {
        void NotWith(string key, string advice)
        {
            if (bound.Get(key) is { } v) Report(DiagnosticIds.MethodMismatch, v.KeySpan, key, method, advice);
        }

        // Keys of another method, by the schema's method scopes.
        foreach (var scope in SpecSchema.MethodScopes.Where(s => !s.Methods.Contains(method)))
        {
            foreach (var key in scope.Keys) NotWith(key, scope.Advice);
        }

        var init = bound.Get("method.init")?.Text ?? SpecSchema.Find("method.init")!.DefaultText;
        var initText = bound.Get("method.init_text");
        if (initText is { Text: not null } && init != "text" && SpecSchema.AppliesTo("method.init", method))
        {
            Report(DiagnosticIds.Inconsistent, initText.KeySpan, "'init_text' is used only with 'init: text'; write 'init: text' or remove init_text");
        }
        if (bound.Get("method.reparameterize_hidden") is { } hidden && bound.Get("method.reparameterize")?.Text != "true" && SpecSchema.AppliesTo("method.reparameterize", method))
        {
            Report(DiagnosticIds.Inconsistent, hidden.KeySpan, "'reparameterize_hidden' is used only with 'reparameterize: true'; add it or remove reparameterize_hidden");
        }
        // The packaged model (backbone.source's default) is a sentence encoder: it has no masked-LM head to verbalize with.
        var packaged = SpecSchema.Find("backbone.source")!.DefaultText;
        if (bound.Get("head.kind") is { Text: "verbalizer" } head && (bound.Get("backbone.source")?.Text ?? packaged) == packaged)
        {
            Report(DiagnosticIds.Inconsistent, head.ValueSpan, "'kind: verbalizer' reads the label words through a masked-LM head (BERT) or T5's decoder, and the packaged " + packaged +
                " has neither; use 'kind: linear' (or auto), or set backbone.source to a BertForMaskedLM or T5 folder");
        }
        CheckValueRules(bound);
    }

    // The rules the values alone decide (SpecRules, shared with the runtime's check after --set), reported at the
    // first of their keys the spec writes.
    private void CheckValueRules(BoundSpec bound)
    {
        foreach (var breach in SpecRules.ValueRules(key => bound.Get(key)?.Text))
        {
            var at = breach.Keys.Select(k => bound.Get(k)).FirstOrDefault(v => v is not null);
            if (at is not null) Report(DiagnosticIds.Inconsistent, at.ValueSpan, breach.Message);
        }
    }

    private void CheckTraining(BoundSpec bound, TaskSpec task)
    {
        if (bound.Get("training.best_metric") is { } metric)
        {
            var kind = task.Get("task.kind")!;
            var superglue = task.Get("task.superglue")!;
            var metrics = SpecSchema.Metrics(kind, superglue, task.Labels.Count);
            if (!metrics.Contains(metric.Text))
            {
                var what = kind == "custom" ? "a custom classification task" : "SuperGLUE " + superglue;
                Report(DiagnosticIds.BestMetric, metric.ValueSpan, metric.Text ?? "", what, string.Join(", ", metrics));
            }
        }
    }

    private TaskSpec ResolveTask(BoundTask task)
    {
        var kind = task.Get("task.kind")?.Text ?? "superglue";
        var superglue = task.Get("task.superglue");
        var kindSpan = task.Get("task.kind")?.ValueSpan ?? task.Span;
        IReadOnlyList<string> knownFields;
        if (kind == "superglue")
        {
            if (superglue is null)
            {
                Report(DiagnosticIds.TaskRule, kindSpan, "a SuperGLUE task needs 'superglue: <task>' (one of " + string.Join(", ", SpecSchema.SuperGlueTasks) + "); for your own data write 'kind: custom'");
            }
            if (task.Fields is not null)
            {
                Report(DiagnosticIds.TaskRule, task.FieldsSpan, "'fields' is for 'kind: custom'; a SuperGLUE task has fixed fields, remove 'fields'");
            }
            knownFields = SpecSchema.SuperGlueFields(superglue?.Text ?? "rte");
        }
        else
        {
            if (superglue is not null)
            {
                Report(DiagnosticIds.TaskRule, superglue.KeySpan, "'superglue' names a SuperGLUE task but this task is 'kind: custom'; remove 'superglue' or write 'kind: superglue'");
            }
            if (task.Fields is null || task.Fields.Count == 0)
            {
                Report(DiagnosticIds.TaskRule, task.Fields is null ? kindSpan : task.FieldsSpan, "a custom task needs its text fields; add e.g. 'fields: [text]'");
            }
            if (task.Labels is null || task.Labels.Count < 2)
            {
                Report(DiagnosticIds.TaskRule, task.Labels is null ? kindSpan : task.LabelsSpan, "a custom task needs at least two labels mapped to verbalizer words; add e.g. 'labels: { positive: great, negative: terrible }'");
            }
            knownFields = task.Fields?.Select(f => f.Name).ToList() ?? new List<string>();
            CheckFieldNames(task);
        }

        if (task.Get("task.template") is { Text: { } template } templateValue)
        {
            foreach (Match m in TemplateField.Matches(template))
            {
                var name = m.Groups[1].Value;
                if (!knownFields.Contains(name) && name.Trim() != MaskPlaceholder)
                {
                    Report(DiagnosticIds.TemplateField, Within(templateValue.ValueSpan, "{" + name + "}"), name, knownFields.Count == 0 ? "(no fields declared)" : string.Join(", ", knownFields));
                }
            }
        }

        if (task.FewShotSpan is { } fewShotSpan)
        {
            var perLabel = task.Get("task.few_shot.per_label")?.Text;
            var total = task.Get("task.few_shot.total")?.Text;
            if ((perLabel is null) == (total is null))
            {
                Report(DiagnosticIds.FewShotChoice, fewShotSpan, perLabel is null ? "; add e.g. 'per_label: 16'" : "; remove one of them");
            }
        }

        if (task.IsMain && task.Multitask.Count == 0)
        {
            foreach (var key in new[] { "task.mixing", "task.mixing_cap", "task.mixing_temperature" })
            {
                if (task.Get(key) is { } v)
                {
                    Report(DiagnosticIds.Inconsistent, v.KeySpan, "'" + v.Option.Name + "' applies only when 'multitask' lists other tasks; add multitask entries or remove it");
                }
            }
        }

        var settings = new List<SpecSetting>();
        foreach (var option in SpecSchema.Options.Where(o => o.Scope == OptionScope.Task && (task.IsMain || !o.MainTaskOnly)))
        {
            settings.Add(new SpecSetting(option.Key, task.Values.TryGetValue(option.Key, out var v) ? v.Text : option.DefaultText));
        }
        var multitask = task.Multitask.Select(ResolveTask).ToList();
        return new TaskSpec(
            settings.ToEquatableArray(),
            (task.Fields ?? new List<(string, SourceSpan)>()).Select(f => f.Name).ToEquatableArray(),
            (task.Labels ?? new List<(string, string)>()).Select(l => new LabelWordSpec(l.Value, l.Word)).ToEquatableArray(),
            task.FewShotSpan is not null,
            multitask.ToEquatableArray());
    }

    // The span of 'part' inside a one-line value as written (quotes and all), so the error points at the bad
    // {field} itself; the whole value when it cannot be found verbatim (escapes, folded lines).
    private SourceSpan Within(SourceSpan value, string part)
    {
        if (value.StartLine != value.EndLine || value.Start + value.Length > _text.Length) return value;
        var index = _text.Substring(value.Start, value.Length).IndexOf(part, StringComparison.Ordinal);
        if (index < 0) return value;
        var column = value.StartColumn + index;
        return new SourceSpan(value.Start + index, part.Length, value.StartLine, column, value.StartLine, column + part.Length);
    }

    private void CheckFieldNames(BoundTask task)
    {
        if (task.Fields is null) return;
        var labelField = task.Get("task.label_field")?.Text ?? "label";
        // The example record's label property is "Label": a text field may not take that name too.
        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["Label"] = labelField };
        foreach (var (name, span) in task.Fields)
        {
            if (ReportIfTooLong("field name", name, span)) continue;
            if (!Identifier.IsMatch(name))
            {
                Report(DiagnosticIds.FieldName, span, "field '" + name + "' must be letters, digits and '_' (not starting with a digit), e.g. 'premise' or 'sentence_1'");
            }
            else if (name == labelField)
            {
                Report(DiagnosticIds.FieldName, span, "field '" + name + "' is the label field; list only text fields in 'fields'");
            }
            else if (properties.TryGetValue(PropertyNameFor(name), out var other))
            {
                Report(DiagnosticIds.FieldName, span, "field '" + name + "' " + (other == name ? "is listed twice" : "clashes with '" + other + "' (both become " + PropertyNameFor(name) + ")") + "; list each field once");
            }
            else
            {
                properties[PropertyNameFor(name)] = name;
            }
        }
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
