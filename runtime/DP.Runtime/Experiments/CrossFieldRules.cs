namespace DP.Runtime.Experiments;

/// <summary>
/// The spec's cross-field rules restated on typed options, so that <c>--set</c> overrides cannot produce a
/// combination the build would have rejected. The generator checks the YAML (where it also knows which keys were
/// written); here only values are known, so these are the rules whose breach is visible in the values and that the
/// runtime would otherwise ignore silently (a warm-up that never ends, a setting of another method).
/// </summary>
public static class CrossFieldRules
{
    /// <summary>Every broken rule, one message each naming the spec keys involved; empty when the options are consistent.</summary>
    public static IReadOnlyList<string> Problems(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var m = options.Method;
        var t = options.Training;
        string kind = KindName(m.Kind);

        if (t.WarmupSteps > t.MaxSteps)
            problems.Add($"training.warmup_steps {t.WarmupSteps} exceeds training.max_steps {t.MaxSteps}: the learning rate would never reach its peak; use at most max_steps warm-up steps.");
        if (m.Gumbel.MinTemperature > m.Gumbel.InitialTemperature)
            problems.Add($"method.gumbel.min_temperature {m.Gumbel.MinTemperature} is above method.gumbel.initial_temperature {m.Gumbel.InitialTemperature}; the temperature only decreases.");

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
        if (m.Kind != MethodKind.FineTune && m.Init == PromptInit.Text && string.IsNullOrWhiteSpace(m.InitText))
            problems.Add("method.init 'text' needs method.init_text, the text the prompt starts from.");
        return problems;
    }

    private static string KindName(MethodKind kind) => kind == MethodKind.FineTune ? "finetune" : Lower(kind);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
