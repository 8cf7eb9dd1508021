namespace DP.Generators.Model;

/// <summary>A resolved scalar option: its dotted spec key and canonical invariant text (spec word for choices; null = null).</summary>
public sealed record SpecSetting(string Key, string? Text);

/// <summary>One class of a classification task: the label value in the data and the word that verbalises it.</summary>
public sealed record LabelWordSpec(string Value, string Word);

/// <summary>A validated task: every task-scope option resolved (defaults filled in), plus its lists.</summary>
public sealed record TaskSpec(
    EquatableArray<SpecSetting> Settings,
    EquatableArray<string> Fields,
    EquatableArray<LabelWordSpec> Labels,
    bool HasFewShot,
    EquatableArray<TaskSpec> Multitask)
{
    public string? Get(string key)
    {
        foreach (var s in Settings) if (s.Key == key) return s.Text;
        return null;
    }
}

/// <summary>
/// A validated experiment spec, independent of any output language: name, derived type name, where it came from,
/// every experiment-scope option resolved, and its task.
/// </summary>
public sealed record ExperimentSpec(
    string Name,
    string TypeName,
    string SpecPath,
    string SpecFileName,
    SourceSpan NameSpan,
    EquatableArray<SpecSetting> Settings,
    TaskSpec Task)
{
    /// <summary>The spec's <c>sweep:</c> section, expanded into trials; null when the spec has none.</summary>
    public SweepSpec? Sweep { get; init; }

    public string? Get(string key)
    {
        foreach (var s in Settings) if (s.Key == key) return s.Text;
        return null;
    }
}
