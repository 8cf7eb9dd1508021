using DP.Runtime.Experiments;
using DP.Runtime.Sweeps.Cluster;

namespace DP.Runtime.Sweeps.Slurm;

/// <summary>
/// <c>sweep submit --slurm</c>: writes the batch script for the trials not finished yet (a new
/// <c>slurm/submit-NNN.sbatch</c>, never overwriting one), submits it with sbatch and records the job id — or, with
/// <c>--dry-run</c>, prints the script and writes nothing.
/// </summary>
public static class SlurmSubmit
{
    public static int Run(SweepContext context, ClusterOptions options, TrialLauncher launcher)
    {
        var root = context.Folder.Root;
        if (root.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '%' or '\\'))
            throw new ArgumentException($"the sweep folder '{root}' has a space, quote, '%' or '\\': #SBATCH lines cannot carry it; choose another --output.");
        var todo = context.Trials.Select(context.View).Where(v => v.CanRun).Select(v => v.Trial.Index).ToList();
        if (todo.Count == 0)
        {
            Console.WriteLine($"nothing to submit: no trial of {root} is left to run (see 'sweep status').");
            return ExperimentCli.Ok;
        }
        var job = new SlurmJob(context.Defaults.Name, root, [launcher.FileName, .. launcher.PrefixArguments],
            [.. context.Trials.Select(t => t.FolderName)], todo, context.TrainArgs, Environment.CurrentDirectory, options);
        var script = SlurmScript.Format(job);
        if (options.DryRun)
        {
            Console.Write(script);
            return ExperimentCli.Ok;
        }
        if (!ExternalCommand.OnPath("sbatch"))
            throw new InvalidOperationException("sbatch is not on PATH: run this on a Slurm login node, or print the script with --dry-run.");

        if (SlurmJobRecord.Read(root) is [.., var last])
        {
            var active = SlurmQueue.TaskStates(last.JobId, _ => { }).Where(t => t.Value is "PENDING" or "RUNNING" or "REQUEUED" or "SUSPENDED" or "CONFIGURING").ToList();
            if (active.Count > 0)
                throw new InvalidOperationException($"job {last.JobId} still has {active.Count} task(s) queued or running (squeue): wait for it, or 'scancel {last.JobId}', before submitting again.");
        }
        var path = AtomicFile.WriteNumbered(Path.Combine(root, SlurmScript.FolderName), "submit", "sbatch", script);
        var array = ArraySpec.Format(todo, options.MaxParallel);
        string? jobId = null;
        var result = ExternalCommand.Run("sbatch", options.Wait ? ["--parsable", "--wait", path] : ["--parsable", path],
            options.Wait ? null : TimeSpan.FromSeconds(60), line =>
            {
                if (jobId is not null || line.Length == 0 || !char.IsAsciiDigit(line[0])) return;
                jobId = line.Split(';')[0].Trim(); // "ID" or "ID;CLUSTER"
                SlurmJobRecord.Append(root, new SlurmSubmission(jobId, path, array, DateTimeOffset.UtcNow));
                Console.WriteLine($"submitted job {jobId}: array {array} ({todo.Count} trials), script {path}, task output {Path.Combine(root, SlurmScript.FolderName)}/{jobId}_N.out");
            });
        if (jobId is null)
        {
            // nothing was submitted: no script left behind ('--dry-run' prints it), nor the folders made for it
            File.Delete(path);
            foreach (var folder in new[] { Path.GetDirectoryName(path)!, root })
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            Console.Error.WriteLine($"error: sbatch refused the batch script (exit {result.ExitCode}): {result.Error.Trim()}");
            return ExperimentCli.Failed;
        }
        if (result.ExitCode != 0)
        {
            Console.Error.WriteLine($"job {jobId}: a task failed (sbatch --wait exit {result.ExitCode}); see 'sweep status'. {result.Error.Trim()}");
            return ExperimentCli.Failed;
        }
        return ExperimentCli.Ok;
    }
}
