using System.Globalization;
using DP.Runtime.Sweeps.Cluster;

namespace DP.Runtime.Sweeps.Slurm;

/// <summary>
/// The scheduler's view of a sweep's array tasks: <c>sacct</c> (finished tasks; needs slurmdbd, so often absent) then
/// <c>squeue</c> (pending and running ones), by array task id (= trial index). Each is asked only when it is on PATH,
/// with a time limit; one that fails is reported, not fatal.
/// </summary>
public static class SlurmQueue
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static IReadOnlyDictionary<int, string> TaskStates(string jobId, Action<string> note)
    {
        var states = new Dictionary<int, string>();
        Ask("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State"], states, note, quietIfFails: true);
        Ask("squeue", ["-h", "-r", "-j", jobId, "-o", "%i|%T"], states, note, quietIfFails: false);
        return states;
    }

    private static void Ask(string program, string[] args, Dictionary<int, string> states, Action<string> note, bool quietIfFails)
    {
        if (!ExternalCommand.OnPath(program))
        {
            if (!quietIfFails) note($"{program} is not on PATH: the scheduler's view is not shown");
            return;
        }
        try
        {
            var result = ExternalCommand.Run(program, args, Limit);
            // squeue refuses a job id it no longer knows (every task ended): nothing queued, not an error.
            if (result.ExitCode != 0)
            {
                if (!quietIfFails && !result.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
                    note($"{program} failed (exit {result.ExitCode}): {result.Error.Trim()}");
                return;
            }
            foreach (var (index, state) in Parse(result.Output)) states[index] = state;
        }
        catch (InvalidOperationException e)
        {
            note(e.Message);
        }
    }

    /// <summary>Lines <c>JOBID_TASK|STATE</c> (squeue -r -o "%i|%T", sacct -P -o JobID,State); ranges like <c>12_[2-3]</c> are skipped.</summary>
    public static IEnumerable<(int Index, string State)> Parse(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length < 2) continue;
            var id = parts[0];
            var underscore = id.LastIndexOf('_');
            if (underscore < 0 || !int.TryParse(id.AsSpan(underscore + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) continue;
            var state = parts[1].Split(' ')[0]; // sacct: "CANCELLED by 0"
            yield return (index, state);
        }
    }
}
