namespace DP.Runtime.Sweeps;

/// <summary>One override of a trial: a swept key and its value, as <c>--set key=value</c> takes them.</summary>
public sealed record SweepOverride(string Key, string Value)
{
    public override string ToString() => $"{Key}={Value}";
}

/// <summary>One trial of a sweep: its index in the spec's order, its overrides and the name of its folder.</summary>
public sealed record SweepTrial(int Index, IReadOnlyList<SweepOverride> Overrides, string FolderName)
{
    /// <summary>The value of <paramref name="key"/> in this trial, or null when the key is not swept.</summary>
    public string? Get(string key) => Overrides.FirstOrDefault(o => o.Key == key)?.Value;

    public string OverridesText => string.Join(" ", Overrides);
}
