using System.Globalization;
using System.Reflection;
using DP.Generators.Model;

namespace DP.Runtime.Experiments;

/// <summary>
/// Reaches the option a schema key names (its scope's object, then the property path) and converts between its typed
/// value and the schema's canonical text. Off the hot path: used for defaults, checks and the run folder's spec.
/// </summary>
internal static class SpecOptionPaths
{
    /// <summary>
    /// The object holding the option and its property; <paramref name="task"/> is the task a task key reads. Null
    /// for a method key the options' method does not have.
    /// </summary>
    public static (object Target, PropertyInfo Property)? TryLocate(ExperimentOptions options, OptionDefinition option, TaskOptions? task = null)
    {
        object root = option.Scope switch
        {
            OptionScope.Task => task ?? options.Task,
            OptionScope.Method => options.Method,
            _ => options,
        };
        return TryLocate(root, option);
    }

    public static (object Target, PropertyInfo Property) Locate(ExperimentOptions options, OptionDefinition option, TaskOptions? task = null)
        => TryLocate(options, option, task)
           ?? throw new InvalidOperationException($"'{option.Key}' is not a setting of method.kind '{SpecValues.MethodWord(options.Method.Kind)}'.");

    /// <summary>The option's value; null also for a method key the options' method does not have.</summary>
    public static object? Read(ExperimentOptions options, OptionDefinition option, TaskOptions? task = null)
        => TryLocate(options, option, task) is var (target, property) ? property.GetValue(target) : null;

    /// <summary>A method key's value in one method's options (null when that method does not have it).</summary>
    public static object? Read(MethodOptions method, OptionDefinition option)
        => TryLocate(method, option) is var (target, property) ? property.GetValue(target) : null;

    public static void Write(MethodOptions method, OptionDefinition option, object? value)
    {
        var (target, property) = TryLocate(method, option) ?? throw new InvalidOperationException($"{method.GetType().Name} has no '{option.Key}'.");
        property.SetValue(target, value);
    }

    private static (object Target, PropertyInfo Property)? TryLocate(object root, OptionDefinition option)
    {
        object target = root;
        var names = option.PropertyPath.Split('.');
        foreach (var name in names[..^1])
        {
            if (target.GetType().GetProperty(name) is not { } step) return Missing(root, option);
            target = step.GetValue(target) ?? new FewShotOptions();
        }
        return target.GetType().GetProperty(names[^1]) is { } property ? (target, property) : Missing(root, option);
    }

    // Only a method key may be missing (it belongs to another method's class); anything else is schema drift.
    private static (object, PropertyInfo)? Missing(object root, OptionDefinition option)
        => option.Scope == OptionScope.Method && root is MethodOptions
            ? null
            : throw new InvalidOperationException($"{root.GetType().Name} has no property {option.PropertyPath} (spec schema drift).");

    /// <summary>A typed value from canonical text (null stays null).</summary>
    public static object? Typed(OptionDefinition option, Type type, string? text)
    {
        if (text is null) return null;
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        if (bare.IsEnum) return Enum.Parse(bare, option.Choices.Single(c => c.Word == text).Member);
        if (bare == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
        if (bare == typeof(double)) return double.Parse(text, CultureInfo.InvariantCulture);
        if (bare == typeof(bool)) return text == "true";
        return text;
    }

    /// <summary>A key's value as the schema's canonical text (choice words, invariant numbers); null for null.</summary>
    public static string? Text(ExperimentOptions options, string key)
    {
        var option = SpecSchema.Find(key) ?? throw new InvalidOperationException($"'{key}' is not a key of the spec schema.");
        return Read(options, option) switch
        {
            null => null,
            Enum e => Word(option, e),
            bool b => b ? "true" : "false",
            int i => i.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
    }

    /// <summary>The spec word of a choice value.</summary>
    public static string Word(OptionDefinition option, Enum value) => option.Choices.Single(c => c.Member == value.ToString()).Word;
}
