namespace DP.Runtime.Experiments;

/// <summary>
/// The spec's cross-field rules on typed options, so that <c>--set</c> overrides cannot produce a combination the
/// build would have rejected: the value rules the build states (SpecRules, compiled from the generator's source) and
/// the schema's method scopes for the keys outside the method's own options. (A method's own keys cannot be wrong:
/// its options class has only them.) The build also has rules about which keys were written; here only values are known.
/// </summary>
public static class CrossFieldRules
{
    /// <summary>Every broken rule, one message each naming the spec keys involved; empty when the options are consistent.</summary>
    public static IReadOnlyList<string> Problems(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        problems.AddRange(DP.Generators.Model.SpecRules.ValueRules(key => SpecOptionPaths.Text(options, key)).Select(b => b.Message + "."));
        problems.AddRange(SpecValues.KeysOfAnotherMethod(SchemaDefaults.KeysSetForOtherMethods(options), options));
        return problems;
    }
}
