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
        foreach (var key in SpecSchema.KeysNotFor(method))
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
        foreach (var key in SpecSchema.KeysNotFor(method))
        {
            // task/instance policies have their own rule (they need dynamic prompting, whatever else applies).
            if (key is "method.position" or "method.length") continue;
            var option = SpecSchema.Find(key)!;
            var (target, property) = SpecOptionPaths.Locate(options, option);
            if (!Equals(property.GetValue(target), SpecOptionPaths.Typed(option, property.PropertyType, option.DefaultText))) yield return key;
        }
    }

    private static void Reset(ExperimentOptions options, OptionDefinition option)
    {
        var (target, property) = SpecOptionPaths.Locate(options, option);
        property.SetValue(target, SpecOptionPaths.Typed(option, property.PropertyType, option.DefaultText));
    }
}
