namespace DP.Runtime.Sweeps;

/// <summary>
/// A sweep as the generator expanded it from the spec's <c>sweep:</c> section: the swept override keys and, per
/// trial, the value of each key (text as <c>--set key=value</c> takes it). Trial order is the spec's.
/// </summary>
public sealed class SweepDefinition
{
    public SweepDefinition(IReadOnlyList<string> keys, IReadOnlyList<string[]> trials)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(trials);
        if (keys.Count == 0) throw new ArgumentException("A sweep needs at least one swept key.", nameof(keys));
        if (trials.Count == 0) throw new ArgumentException("A sweep needs at least one trial.", nameof(trials));
        for (var i = 0; i < trials.Count; i++)
            if (trials[i].Length != keys.Count)
                throw new ArgumentException($"Trial {i} has {trials[i].Length} values for {keys.Count} swept keys.", nameof(trials));
        Keys = keys;
        Trials = trials;
    }

    public IReadOnlyList<string> Keys { get; }

    public IReadOnlyList<string[]> Trials { get; }
}
