namespace DP.Runtime.Experiments;

/// <summary>
/// The spec's cross-field rules on typed options, so that <c>--set</c> overrides cannot produce a combination the
/// build would have rejected: the value rules the build states (SpecRules, compiled from the generator's source), the
/// schema's method scopes, and the dynamic-only position and length policies. The build also has rules about which
/// keys were written; here only values are known.
/// </summary>
public static class CrossFieldRules
{
    /// <summary>Every broken rule, one message each naming the spec keys involved; empty when the options are consistent.</summary>
    public static IReadOnlyList<string> Problems(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var m = options.Method;
        string kind = KindName(m.Kind);

        // The rules between values, as the build states them (SpecRules, one source).
        problems.AddRange(DP.Generators.Model.SpecRules.ValueRules(key => SpecOptionPaths.Text(options, key)).Select(b => b.Message + "."));

        if (m.Kind != MethodKind.Dynamic)
        {
            if (m.Position is PositionPolicy.Task or PositionPolicy.Instance && m.Kind != MethodKind.FineTune)
                problems.Add($"method.position '{Lower(m.Position)}' needs method.kind 'dynamic', not '{kind}'; set method.position=prefix or method.kind=dynamic.");
            if (m.Length != LengthPolicy.Fixed)
                problems.Add($"method.length '{Lower(m.Length)}' needs method.kind 'dynamic', not '{kind}'; set method.length=fixed or method.kind=dynamic.");
        }
        if (m.Kind == MethodKind.Prefix && m.Position != PositionPolicy.Prefix)
            problems.Add($"method.position '{Lower(m.Position)}': P-tuning v2 (method.kind 'prefix') puts its prompts in front of every layer; set method.position=prefix.");
        // Settings of another method (the schema's method scopes) left at anything but their defaults.
        problems.AddRange(SpecValues.KeysOfAnotherMethod(SchemaDefaults.KeysSetForOtherMethods(options), options));
        return problems;
    }

    private static string KindName(MethodKind kind) => kind == MethodKind.FineTune ? "finetune" : Lower(kind);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
