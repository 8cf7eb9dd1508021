using System.Text.Json;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps;

/// <summary>Where a trial stands. A trial with no state file is <see cref="Pending"/>.</summary>
public enum TrialStatus { Pending, Running, Finished, Failed, Interrupted, Changed }

/// <summary>
/// A trial's state file (<c>trial.json</c> in its folder), written atomically by whoever runs the trial: a
/// <c>sweep run</c> child, or <c>sweep run-trial</c> under a cluster scheduler.
/// </summary>
public sealed record TrialState
{
    public const string FileName = "trial.json";

    public int Index { get; init; }
    public TrialStatus Status { get; init; }
    public Dictionary<string, string> Overrides { get; init; } = new();

    /// <summary>SHA-256 of the trial's resolved configuration (thread count left out): a finished trial is skipped only when it matches.</summary>
    public string ConfigSha256 { get; init; } = "";
    public int? ExitCode { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The run's results.json, relative to the trial folder, once finished.</summary>
    public string? Results { get; init; }
    public string? Message { get; init; }

    public static TrialState? Read(string trialFolder)
    {
        var path = Path.Combine(trialFolder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<TrialState>(File.ReadAllText(path), ReportJson.Indented);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a trial state file ({e.Message}); delete it to run the trial again.", e);
        }
    }

    /// <summary>Writes the state beside a temporary copy and renames it over the old one, so a reader never sees half a file.</summary>
    public void Write(string trialFolder)
        => AtomicFile.WriteAllText(Path.Combine(trialFolder, FileName), JsonSerializer.Serialize(this, ReportJson.Indented));
}
