using System.Linq;
using DP.Generators.Diagnostics;
using DP.Generators.Model;
using DP.Generators.Parsing;

namespace DP.Generators.Validation;

// preset: the one place a preset's values enter the spec. They are bound as if written (at the preset's line),
// before any default or cross-field rule, and only for keys the spec leaves out: a written key always wins.
public sealed partial class SpecValidator
{
    private static readonly OptionDefinition PresetOption = new(SpecPresets.Key, OptionScope.Experiment, "", SpecValueKind.Enum, null)
    {
        Choices = SpecPresets.Names.Select(n => new ChoiceWord(n, n)).ToArray(),
    };

    private void BindPreset(RawNode value, BoundSpec spec)
    {
        if (value is not RawScalar { IsNull: false } raw)
        {
            Report(DiagnosticIds.WrongShape, value.Span, SpecPresets.Key, "a preset name", value.ShapeName, "'preset: " + SpecPresets.Names[0] + "'");
            return;
        }
        var converted = ScalarConverter.Convert(PresetOption, raw.Value, false);
        if (!converted.Ok)
        {
            Report(converted.ErrorId!, raw.Span, converted.Args);
            return;
        }
        spec.Preset = (SpecPresets.Find(converted.Text!)!, raw.Span);
    }

    private void ApplyPreset(BoundSpec bound)
    {
        if (bound.Preset is not { } preset || bound.Task is not { } task) return;
        // Every preset is a dynamic-prompting variant: another method cannot take its method keys.
        if (bound.Get("method.kind") is { Text: not "dynamic" } method)
        {
            Report(DiagnosticIds.MethodMismatch, method.ValueSpan, SpecPresets.Key + ": " + preset.Preset.Name, method.Text!,
                "the preset is a dynamic-prompting variant; remove 'preset' or 'kind'");
            return;
        }
        foreach (var setting in preset.Preset.Settings)
        {
            var option = SpecSchema.Find(setting.Key)!;
            var target = option.Scope == OptionScope.Task ? task.Values : bound.Values;
            if (!target.ContainsKey(setting.Key)) target[setting.Key] = new BoundValue(option, setting.Text, preset.Span, preset.Span);
        }
        var kind = task.Get("task.kind")?.Text ?? SpecSchema.Find("task.kind")!.DefaultText;
        if (kind == "superglue" && task.Get("task.superglue")?.Text is { } superGlue
            && SpecPresets.Templates.TryGetValue(superGlue, out var template) && task.Get("task.template") is null)
        {
            task.Values["task.template"] = new BoundValue(SpecSchema.Find("task.template")!, template, preset.Span, preset.Span);
        }
    }
}
