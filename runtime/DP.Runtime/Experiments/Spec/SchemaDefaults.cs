using System.Globalization;
using System.Reflection;
using DP.Generators.Model;

namespace DP.Runtime.Experiments;

/// <summary>
/// Puts keys back to the schema's defaults. When <c>--set method.kind=…</c> switches the method, the settings that
/// belong only to other methods return to their defaults, so a switched run carries none of the old method's
/// settings (and the spec's values for them cannot make the new combination inconsistent).
/// </summary>
internal static class SchemaDefaults
{
    /// <summary>
    /// After a method switch: every method-specific key that does not apply to the new method goes back to its
    /// default, and task/instance position or length policies (dynamic prompting's) to prefix/fixed, unless
    /// <paramref name="setKeys"/> names them (then the cross-field rules judge them).
    /// </summary>
    public static void ResetForSwitchedMethod(ExperimentOptions options, IReadOnlySet<string> setKeys)
    {
        var method = SpecValues.MethodWord(options.Method.Kind);
        foreach (var key in SpecSchema.MethodScopes.Where(s => !s.Methods.Contains(method)).SelectMany(s => s.Keys))
        {
            Reset(options, SpecSchema.Find(key)!);
        }
        if (options.Method.Kind == MethodKind.Dynamic) return;
        if (!setKeys.Contains("method.position") && options.Method.Position is PositionPolicy.Task or PositionPolicy.Instance)
            options.Method.Position = PositionPolicy.Prefix;
        if (!setKeys.Contains("method.length")) options.Method.Length = LengthPolicy.Fixed;
    }

    /// <summary>Method-specific keys that hold a value other than their default under a method they do not apply to.</summary>
    public static IEnumerable<string> KeysSetForOtherMethods(ExperimentOptions options)
    {
        var method = SpecValues.MethodWord(options.Method.Kind);
        foreach (var key in SpecSchema.MethodScopes.Where(s => !s.Methods.Contains(method)).SelectMany(s => s.Keys))
        {
            // task/instance policies have their own rule (they need dynamic prompting, whatever else applies).
            if (key is "method.position" or "method.length") continue;
            var option = SpecSchema.Find(key)!;
            var (target, property) = Locate(options, option);
            if (!Equals(property.GetValue(target), Typed(option, property.PropertyType, option.DefaultText))) yield return key;
        }
    }

    private static void Reset(ExperimentOptions options, OptionDefinition option)
    {
        var (target, property) = Locate(options, option);
        property.SetValue(target, Typed(option, property.PropertyType, option.DefaultText));
    }

    private static (object Target, PropertyInfo Property) Locate(ExperimentOptions options, OptionDefinition option)
    {
        object target = option.Scope == OptionScope.Task ? options.Task : options;
        var names = option.PropertyPath.Split('.');
        foreach (var name in names[..^1]) target = Property(target, name).GetValue(target)!;
        return (target, Property(target, names[^1]));
    }

    private static PropertyInfo Property(object target, string name)
        => target.GetType().GetProperty(name) ?? throw new InvalidOperationException($"{target.GetType().Name} has no property {name} (spec schema drift).");

    private static object? Typed(OptionDefinition option, Type type, string? text)
    {
        if (text is null) return null;
        var bare = Nullable.GetUnderlyingType(type) ?? type;
        if (bare.IsEnum) return Enum.Parse(bare, option.Choices.Single(c => c.Word == text).Member);
        if (bare == typeof(int)) return int.Parse(text, CultureInfo.InvariantCulture);
        if (bare == typeof(double)) return double.Parse(text, CultureInfo.InvariantCulture);
        if (bare == typeof(bool)) return text == "true";
        return text;
    }
}
