using System.Collections.Generic;

namespace DP.Generators.Model;

/// <summary>The type of a scalar spec value.</summary>
internal enum SpecValueKind { String, Int, Double, Bool, Enum }

/// <summary>
/// Which options object a key writes into: the experiment, a task (the main one or a multitask entry), or the
/// method's own options (<see cref="OptionDefinition.Holder"/> names the class).
/// </summary>
internal enum OptionScope { Experiment, Task, Method }

/// <summary>One spec word of a choice and the runtime enum member it means.</summary>
internal sealed record ChoiceWord(string Word, string Member);

/// <summary>Keys that apply to some methods only (<see cref="Methods"/>, <c>method.kind</c> words), and why.</summary>
internal sealed record MethodScope(IReadOnlyList<string> Methods, string Advice, IReadOnlyList<string> Keys);

/// <summary>
/// One scalar key of the spec schema: its dotted key, the runtime property it sets, its type, range and default.
/// Language-neutral (property paths name the .NET runtime types), so any emitter can use it.
/// </summary>
internal sealed class OptionDefinition
{
    public OptionDefinition(string key, OptionScope scope, string propertyPath, SpecValueKind kind, string? defaultText)
    {
        Key = key;
        Scope = scope;
        PropertyPath = propertyPath;
        Kind = kind;
        DefaultText = defaultText;
    }

    /// <summary>Dotted spec key, e.g. "training.learning_rate"; task keys start with "task.".</summary>
    public string Key { get; }

    public OptionScope Scope { get; }

    /// <summary>Property path from the scope's options object, e.g. "Training.LearningRate", "MaxLength" or "Pool.Size".</summary>
    public string PropertyPath { get; }

    public SpecValueKind Kind { get; }

    /// <summary>Canonical default (invariant text, spec word for choices); null = null.</summary>
    public string? DefaultText { get; }

    /// <summary>The property is nullable (null = "not set, use the runtime's choice").</summary>
    public bool Nullable { get; init; }

    public double? Min { get; init; }

    public bool MinExclusive { get; init; }

    public double? Max { get; init; }

    /// <summary>
    /// Method keys: the DP.Runtime.Experiments class (a MethodOptions) that declares the property; the key applies to
    /// the methods whose options class is or derives from it.
    /// </summary>
    public string? Holder { get; private set; }

    /// <summary>Sets <see cref="Holder"/> while the schema table is built (the definitions are immutable after that).</summary>
    internal OptionDefinition WithHolder(string holder)
    {
        Holder = holder;
        return this;
    }

    /// <summary>Runtime enum type name (in DP.Runtime.Experiments) for choices.</summary>
    public string? EnumType { get; init; }

    public IReadOnlyList<ChoiceWord> Choices { get; init; } = System.Array.Empty<ChoiceWord>();

    /// <summary>Only the main task may carry it (not a multitask entry).</summary>
    public bool MainTaskOnly { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The last segment of the key, as written in YAML.</summary>
    public string Name => Key.Substring(Key.LastIndexOf('.') + 1);

    /// <summary>The key's parent path ("training", "method.gumbel", "" for top level).</summary>
    public string Parent => Key.LastIndexOf('.') < 0 ? "" : Key.Substring(0, Key.LastIndexOf('.'));

    /// <summary>A human description of the allowed range, e.g. "> 0" or "1..512".</summary>
    public string RangeText()
    {
        if (Min is { } min && Max is { } max) return Format(min) + ".." + Format(max);
        if (Min is { } lo) return (MinExclusive ? "> " : ">= ") + Format(lo);
        if (Max is { } hi) return "<= " + Format(hi);
        return "any";
    }

    public bool InRange(double value)
    {
        if (Min is { } min && (MinExclusive ? value <= min : value < min)) return false;
        if (Max is { } max && value > max) return false;
        return true;
    }

    private static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
