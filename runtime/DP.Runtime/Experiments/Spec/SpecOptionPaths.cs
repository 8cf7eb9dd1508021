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
    /// <summary>The object holding the option and its property; <paramref name="task"/> is the task a task key reads.</summary>
    public static (object Target, PropertyInfo Property) Locate(ExperimentOptions options, OptionDefinition option, TaskOptions? task = null)
    {
        object target = option.Scope == OptionScope.Task ? task ?? options.Task : options;
        var names = option.PropertyPath.Split('.');
        foreach (var name in names[..^1]) target = Property(target, name).GetValue(target) ?? new FewShotOptions();
        return (target, Property(target, names[^1]));
    }

    public static object? Read(ExperimentOptions options, OptionDefinition option, TaskOptions? task = null)
    {
        var (target, property) = Locate(options, option, task);
        return property.GetValue(target);
    }

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

    private static PropertyInfo Property(object target, string name)
        => target.GetType().GetProperty(name) ?? throw new InvalidOperationException($"{target.GetType().Name} has no property {name} (spec schema drift).");
}
