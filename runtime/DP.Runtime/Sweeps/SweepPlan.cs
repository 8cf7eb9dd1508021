using System.Security.Cryptography;
using System.Text;

namespace DP.Runtime.Sweeps;

/// <summary>
/// The trials of a sweep with their folder names. A folder name is derived from the trial's overrides only (not its
/// index), so adding a value to the grid leaves the other trials' folders, and their finished runs, where they are.
/// </summary>
public static class SweepPlan
{
    /// <summary>Longest readable part of a folder name; longer names are cut and end in a hash of the overrides.</summary>
    public const int MaxReadableLength = 80;

    public static IReadOnlyList<SweepTrial> Trials(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var labels = KeyLabels(sweep.Keys);
        var trials = sweep.Trials.Select((values, index) =>
        {
            var overrides = sweep.Keys.Select((k, i) => new SweepOverride(k, values[i])).ToList();
            return new SweepTrial(index, overrides, FolderName(overrides, labels));
        }).ToList();
        // Distinct overrides can still sanitise to one name ("a/b" and "a_b"): those get the hash too.
        var clashes = trials.GroupBy(t => t.FolderName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        return trials.Select(t => clashes.Contains(t) ? t with { FolderName = WithHash(t.FolderName, t.Overrides) } : t).ToList();
    }

    // A key's label in folder names: its last segment ("seed"), or the whole key with '-' for '.' when two swept keys
    // share a last segment (task.max_length / ... ).
    private static Dictionary<string, string> KeyLabels(IReadOnlyList<string> keys)
    {
        string Last(string k) => k[(k.LastIndexOf('.') + 1)..];
        return keys.ToDictionary(k => k, k => keys.Count(o => Last(o) == Last(k)) > 1 ? k.Replace('.', '-') : Last(k));
    }

    private static string FolderName(IReadOnlyList<SweepOverride> overrides, IReadOnlyDictionary<string, string> labels)
    {
        bool lossy = false;
        var parts = overrides.Select(o =>
        {
            var safe = Safe(o.Value);
            lossy |= safe != o.Value;
            return $"{labels[o.Key]}-{safe}";
        });
        var name = string.Join("_", parts);
        return lossy || name.Length > MaxReadableLength ? WithHash(name, overrides) : name;
    }

    private static string WithHash(string name, IReadOnlyList<SweepOverride> overrides)
    {
        var canonical = string.Join("\n", overrides.Select(o => o.ToString()));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..8];
        var stem = name.Length > MaxReadableLength ? name[..MaxReadableLength] : name;
        return $"{stem}-{hash}";
    }

    // Letters, digits, '.', '+' and '-' are kept (numbers such as 1e-05 stay readable); anything else becomes '_'.
    private static string Safe(string value)
    {
        var chars = value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+' ? c : '_').ToArray();
        var s = new string(chars);
        return s.Length == 0 || s.All(c => c == '.') ? "_" : s;
    }
}
