using System.Collections.Generic;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Emit;

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

    /// <summary>The experiment-scope settings CreateOptions writes: those of the spec's own method.</summary>
    public static IEnumerable<(OptionDefinition Option, string? Text)> ExperimentSettings(ExperimentSpec spec)
        => spec.Settings.Where(s => SpecSchema.AppliesTo(s.Key, spec.Get("method.kind")!)).Select(s => (SpecSchema.Find(s.Key)!, s.Text));

    /// <summary>A task's scalar settings, few_shot apart (it is one object, set as a whole).</summary>
    public static IEnumerable<(OptionDefinition Option, string? Text)> TaskSettings(TaskSpec task)
        => task.Settings.Select(s => (Option: SpecSchema.Find(s.Key)!, s.Text)).Where(s => !IsFewShot(s.Option));

    public static bool IsFewShot(OptionDefinition option) => option.PropertyPath.StartsWith(FewShotPrefix, System.StringComparison.Ordinal);

    public const string FewShotPrefix = "FewShot.";

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
