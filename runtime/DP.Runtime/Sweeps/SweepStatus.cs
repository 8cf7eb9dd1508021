using System.Globalization;
using DP.Runtime.Experiments;
using DP.Runtime.Sweeps.Slurm;

namespace DP.Runtime.Sweeps;

/// <summary>
/// <c>sweep status</c>: each trial's state from the sweep folder (what any machine on the shared filesystem sees),
/// with the scheduler's state of its array task when the sweep was submitted to Slurm and squeue/sacct answer.
/// </summary>
public static class SweepStatus
{
    public static int Run(SweepContext context)
    {
        var views = context.Trials.Select(context.View).ToList();
        IReadOnlyDictionary<int, string>? scheduler = null;
        var submissions = SlurmJobRecord.Read(context.Folder.Root);
        if (submissions.Count > 0)
        {
            var last = submissions[^1];
            Console.WriteLine($"Slurm job {last.JobId} (array {last.Array}, submitted {last.Submitted:yyyy-MM-dd HH:mm} UTC; {submissions.Count} submission(s) in {SlurmJobRecord.PathIn(context.Folder.Root)})");
            scheduler = SlurmQueue.TaskStates(last.JobId, m => Console.WriteLine("note: " + m));
        }
        Console.Write(Format(context.Defaults.Name, context.Folder.Root, views, scheduler));
        return ExperimentCli.Ok;
    }

    /// <summary>The status table; <paramref name="scheduler"/> (trial index → Slurm state) adds a column when given.</summary>
    public static string Format(string experiment, string root, IReadOnlyList<TrialView> views, IReadOnlyDictionary<int, string>? scheduler)
    {
        var counts = string.Join(", ", views.GroupBy(v => v.Status).OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var header = new List<string> { "trial", "folder", "state", "attempts" };
        if (scheduler is not null) header.Add("slurm");
        var rows = views.Select(v =>
        {
            var row = new List<string>
            {
                v.Trial.Index.ToString(CultureInfo.InvariantCulture), v.Trial.FolderName, SweepCli.StateText(v),
                (v.State?.Attempts ?? 0).ToString(CultureInfo.InvariantCulture),
            };
            if (scheduler is not null) row.Add(scheduler.TryGetValue(v.Trial.Index, out var s) ? s : "-");
            return row.ToArray();
        }).ToList();
        return $"{experiment}: {views.Count} trials in {root}: {counts}\n" + TextTable.Format(header, rows);
    }
}
