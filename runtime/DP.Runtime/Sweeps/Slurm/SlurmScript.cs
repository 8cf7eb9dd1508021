using System.Globalization;
using System.Text;
using DP.Runtime.Sweeps.Cluster;

namespace DP.Runtime.Sweeps.Slurm;

/// <summary>What a sweep's batch script needs: the program to run, the trials and where their files go.</summary>
/// <param name="Command">The experiment program and the arguments that come before its own (as <see cref="TrialLauncher"/>).</param>
/// <param name="Folders">Each trial's folder name, by trial index (the array task id).</param>
/// <param name="Indices">The trials this submission runs.</param>
/// <param name="TrainArgs">The sweep-wide train options, passed to every trial.</param>
/// <param name="WorkingDirectory">Where the tasks run (relative paths in the spec resolve from here, as locally).</param>
public sealed record SlurmJob(
    string Experiment,
    string SweepRoot,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Folders,
    IReadOnlyList<int> Indices,
    IReadOnlyList<string> TrainArgs,
    string WorkingDirectory,
    ClusterOptions Options);

/// <summary>
/// The batch script of <c>sweep submit --slurm</c>: a job array with one task per trial, each running
/// <c>sweep run-trial $SLURM_ARRAY_TASK_ID</c>. Slurm signals the batch shell (<c>--signal=B:USR1@N</c> before the
/// time limit, TERM on scancel or preemption); the shell passes the signal on to the trial, which checkpoints and exits
/// 130, and after USR1 the task requeues itself so that it resumes from that checkpoint.
/// </summary>
public static class SlurmScript
{
    /// <summary>Folder of the sweep's Slurm files: scripts, the tasks' own output, the job record.</summary>
    public const string FolderName = "slurm";

    public static string Format(SlurmJob job)
    {
        var o = job.Options;
        var slurm = Path.Combine(job.SweepRoot, FolderName);
        var sb = new StringBuilder();
        void Line(string s) => sb.Append(s).Append('\n');
        Line("#!/bin/bash");
        Line($"# {job.Experiment} sweep: one array task per trial (sweep run-trial INDEX); written by 'sweep submit --slurm'.");
        Line($"#SBATCH --job-name={Reporting.RunFolder.SafeName(job.Experiment)}-sweep");
        Line($"#SBATCH --array={ArraySpec.Format(job.Indices, o.MaxParallel)}");
        Line($"#SBATCH --output={Path.Combine(slurm, "%A_%a.out")}");
        Line("#SBATCH --open-mode=append");
        Line($"#SBATCH --chdir={job.WorkingDirectory}");
        Line($"#SBATCH --signal=B:USR1@{o.SignalSeconds.ToString(CultureInfo.InvariantCulture)}");
        Line("#SBATCH --requeue");
        if (o.Partition is { } partition) Line($"#SBATCH --partition={partition}");
        if (o.Account is { } account) Line($"#SBATCH --account={account}");
        if (o.Time is { } time) Line($"#SBATCH --time={time}");
        if (o.Cpus is int cpus) Line($"#SBATCH --cpus-per-task={cpus.ToString(CultureInfo.InvariantCulture)}");
        if (o.Gpus is { } gpus) Line($"#SBATCH --gpus={gpus}");
        if (o.Mem is { } mem) Line($"#SBATCH --mem={mem}");
        Line("set -u");
        Line("# the folder of each trial, by array index");
        Line($"folders=({ShellQuote.Words(job.Folders)})");
        Line("trial=\"$SLURM_ARRAY_TASK_ID\"");
        Line($"log={ShellQuote.Word(job.SweepRoot)}/\"${{folders[$trial]}}\"/{SweepFolder.LogFileName}");
        Line("mkdir -p \"$(dirname \"$log\")\"");
        Line("echo \"trial $trial on $(hostname), task ${SLURM_ARRAY_JOB_ID}_${trial}, restart ${SLURM_RESTART_COUNT:-0}: output in $log\"");
        Line("# Slurm signals this shell, not the trial: pass the signal on; the trial writes a checkpoint and exits 130.");
        Line("signalled= child=");
        Line("forward() { signalled=$1; trapped=1; echo \"$1 received: the trial checkpoints and stops\"; kill -s \"$1\" \"$child\" 2>/dev/null; }");
        Line("trap 'forward USR1' USR1");
        Line("trap 'forward TERM' TERM");
        var args = new List<string>(job.Command) { "sweep", "run-trial" };
        var rest = new List<string> { "--experiment", job.Experiment, "--output", Path.GetDirectoryName(job.SweepRoot)! };
        rest.AddRange(job.TrainArgs);
        Line($"{ShellQuote.Words(args)} \"$trial\" {ShellQuote.Words(rest)} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" >>\"$log\" 2>&1 &");
        Line("child=$!");
        Line("# a trapped signal ends 'wait' early: wait again until the trial itself has ended");
        Line("while :; do trapped=; wait \"$child\"; code=$?; [ -n \"$trapped\" ] || break; done");
        Line("echo \"trial $trial exited with $code\"");
        Line("# 130: the trial checkpointed and stopped; 128+USR1: the signal came before the program could take it (nothing to save)");
        Line("if [ \"$signalled\" = USR1 ] && { [ \"$code\" = 130 ] || [ \"$code\" = $((128 + $(kill -l USR1))) ]; }; then");
        Line("  echo \"trial $trial checkpointed before the time limit: requeueing it to resume\"");
        Line("  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" && exit 0");
        Line("fi");
        Line("exit \"$code\"");
        return sb.ToString();
    }
}
