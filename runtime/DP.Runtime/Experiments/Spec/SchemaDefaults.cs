using DP.Generators.Model;

namespace DP.Runtime.Experiments;

/// <summary>
/// Method-specific keys outside the method's own options (the learning rates of prompt vectors, instance networks
/// and a fine-tuned backbone live in <c>training</c>): when <c>--set method.kind=…</c> switches the method, the ones
/// the new method lacks return to their defaults, so a switched run carries none of the old method's settings. The
/// method's own keys need no reset: a switch builds the new method's options (SpecValues.SwitchMethod).
/// </summary>
internal static class SchemaDefaults
{
    /// <summary>After a method switch: every method-specific key outside the method's options that does not apply to the new method goes back to its default.</summary>
    public static void ResetForSwitchedMethod(ExperimentOptions options)
    {
        foreach (var option in KeysOutsideTheMethod(options))
        {
            var (target, property) = SpecOptionPaths.Locate(options, option);
            property.SetValue(target, SpecOptionPaths.Typed(option, property.PropertyType, option.DefaultText));
        }
    }

    /// <summary>Method-specific keys that hold a value other than their default under a method they do not apply to.</summary>
    public static IEnumerable<string> KeysSetForOtherMethods(ExperimentOptions options)
    {
        foreach (var option in KeysOutsideTheMethod(options))
        {
            var (target, property) = SpecOptionPaths.Locate(options, option);
            if (!Equals(property.GetValue(target), SpecOptionPaths.Typed(option, property.PropertyType, option.DefaultText))) yield return option.Key;
        }
    }

    private static IEnumerable<OptionDefinition> KeysOutsideTheMethod(ExperimentOptions options)
        => SpecSchema.KeysNotFor(SpecValues.MethodWord(options.Method.Kind)).Select(key => SpecSchema.Find(key)!).Where(o => o.Scope != OptionScope.Method);
}
