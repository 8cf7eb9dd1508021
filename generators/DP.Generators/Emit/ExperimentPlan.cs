using System.Collections.Generic;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Emit;

/// <summary>What an ApplyOverride case writes into; see <see cref="ExperimentPlan.OverrideOf"/>.</summary>
internal enum OverrideTarget { Experiment, Task, FewShot, Method, SwitchMethod }

/// <summary>
/// What an experiment's generated code contains, whatever the language: the option assignments of CreateOptions,
/// the keys ApplyOverride accepts. The C# and F# emitters only spell these out.
/// </summary>
internal static class ExperimentPlan
{
    /// <summary>The methods this experiment can run: its own, and every method.kind its sweep tries.</summary>
    public static IReadOnlyList<string> Methods(ExperimentSpec spec)
    {
        var methods = new List<string> { spec.Get("method.kind")! };
        var axis = spec.Sweep is { } sweep ? sweep.Keys.ToList().IndexOf("method.kind") : -1;
        if (axis >= 0) methods.AddRange(spec.Sweep!.Trials.Select(t => t.Values[axis]));
        return methods.Distinct().ToArray();
    }

    /// <summary>Only the keys of the methods it can run: a key of another method is refused by the runtime with its method.</summary>
    public static IEnumerable<OptionDefinition> OverridableOptions(ExperimentSpec spec)
    {
        var methods = Methods(spec);
        return SpecSchema.Options.Where(o => methods.Any(m => SpecSchema.AppliesTo(o.Key, m)));
    }

    /// <summary>The runtime class of the spec's method options (e.g. DynamicPromptingOptions).</summary>
    public static string MethodOptionsType(ExperimentSpec spec) => SpecSchema.MethodOptionsType(spec.Get("method.kind")!);

    /// <summary>The settings CreateOptions writes into the method's options: only the chosen method's keys.</summary>
    public static IEnumerable<(OptionDefinition Option, string? Text)> MethodSettings(ExperimentSpec spec) => Settings(spec, OptionScope.Method);

    /// <summary>The experiment-scope settings CreateOptions writes (training, backbone, head, outputs).</summary>
    public static IEnumerable<(OptionDefinition Option, string? Text)> ExperimentSettings(ExperimentSpec spec) => Settings(spec, OptionScope.Experiment);

    // method.kind is the options class itself, not a setting in it.
    private static IEnumerable<(OptionDefinition Option, string? Text)> Settings(ExperimentSpec spec, OptionScope scope)
        => spec.Settings.Where(s => s.Key != "method.kind" && SpecSchema.AppliesTo(s.Key, spec.Get("method.kind")!))
            .Select(s => (Option: SpecSchema.Find(s.Key)!, s.Text)).Where(s => s.Option.Scope == scope);

    /// <summary>A task's scalar settings, few_shot apart (it is one object, set as a whole).</summary>
    public static IEnumerable<(OptionDefinition Option, string? Text)> TaskSettings(TaskSpec task)
        => task.Settings.Select(s => (Option: SpecSchema.Find(s.Key)!, s.Text)).Where(s => !IsFewShot(s.Option));

    private static bool IsFewShot(OptionDefinition option)
        => option.Scope == OptionScope.Task && option.PropertyPath.StartsWith(FewShotPrefix, System.StringComparison.Ordinal);

    private const string FewShotPrefix = "FewShot.";

    /// <summary>
    /// Where an override of this key writes: method.kind switches the method's options class; a method key writes
    /// into the method's own options (a key of another method is refused there, naming its method); a few-shot key
    /// into the task's few-shot group (made on first use); others by their property path from the scope's object.
    /// </summary>
    public static (OverrideTarget Target, string Path) OverrideOf(OptionDefinition option)
    {
        if (option.Key == "method.kind") return (OverrideTarget.SwitchMethod, "");
        if (IsFewShot(option)) return (OverrideTarget.FewShot, option.PropertyPath.Substring(FewShotPrefix.Length));
        var target = option.Scope switch
        {
            OptionScope.Method => OverrideTarget.Method,
            OptionScope.Task => OverrideTarget.Task,
            _ => OverrideTarget.Experiment,
        };
        return (target, option.PropertyPath);
    }

    /// <summary>
    /// The DP.Runtime SpecValues method that reads an override of this option (type, range, null and choice words
    /// are the runtime's, from the same schema); a choice's method takes the enum as its type argument.
    /// </summary>
    public static string ReaderMethod(OptionDefinition option) => option.Kind switch
    {
        SpecValueKind.Int => option.Nullable ? "NullableInt" : "Int",
        SpecValueKind.Double => option.Nullable ? "NullableDouble" : "Double",
        SpecValueKind.Bool => "Bool",
        SpecValueKind.Enum => "Choice",
        _ => option.Nullable ? "NullableText" : "Text",
    };
}
