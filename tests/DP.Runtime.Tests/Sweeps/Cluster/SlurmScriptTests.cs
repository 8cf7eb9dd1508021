using System.Diagnostics;
using System.Runtime.InteropServices;
using DP.Runtime.Sweeps;
using DP.Runtime.Sweeps.Cluster;
using DP.Runtime.Sweeps.Slurm;
using Xunit;

namespace DP.Runtime.Tests.Sweeps.Cluster;

/// <summary>
/// The batch script of <c>sweep submit --slurm</c>: its text, and — run by bash with a stand-in trial and a stand-in
/// scontrol — that it passes Slurm's signals on to the trial and requeues after the pre-timeout one.
/// </summary>
public class SlurmScriptTests
{
    private static SlurmJob Job(IReadOnlyList<string> command, string root, ClusterOptions? options = null) => new(
        "my exp", root, command, ["kind-prompt_seed-1", "kind-prompt_seed-2", "kind-prefix_seed-1", "kind-prefix_seed-2"],
        [0, 1, 2, 3], ["--max-steps", "4", "--set", "task.template=it's {text}"], "/work/dir", options ?? new ClusterOptions { MaxParallel = 2 });

    [Fact]
    public void Script_is_an_array_of_run_trial_tasks_with_per_trial_outputs()
    {
        var options = new ClusterOptions { MaxParallel = 2, Partition = "gpu", Account = "lab-1", Time = "1-02:00:00", Cpus = 4, Gpus = "a100:1", Mem = "16G", SignalSeconds = 300 };
        var script = SlurmScript.Format(Job(["/opt/exp/bin/exp"], "/shared/runs/my_exp-sweep", options));
        var lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        string[] expected =
        [
            "#SBATCH --array=0-3%2", "#SBATCH --output=/shared/runs/my_exp-sweep/slurm/%A_%a.out", "#SBATCH --signal=B:USR1@300",
            "#SBATCH --partition=gpu", "#SBATCH --account=lab-1", "#SBATCH --time=1-02:00:00", "#SBATCH --cpus-per-task=4",
            "#SBATCH --gpus=a100:1", "#SBATCH --mem=16G", "#SBATCH --chdir=/work/dir", "#SBATCH --requeue", "#SBATCH --open-mode=append",
            "folders=('kind-prompt_seed-1' 'kind-prompt_seed-2' 'kind-prefix_seed-1' 'kind-prefix_seed-2')",
            "log='/shared/runs/my_exp-sweep'/\"${folders[$trial]}\"/trial.log",
            "trap 'forward USR1' USR1", "trap 'forward TERM' TERM",
        ];
        Assert.All(expected, e => Assert.Contains(e, lines));
        // Every #SBATCH line comes before the first command (sbatch stops reading them there).
        var firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal)) < firstCommand, script);
        Assert.Contains("'/opt/exp/bin/exp' 'sweep' 'run-trial' \"$trial\" '--experiment' 'my exp' '--output' '/shared/runs' " +
                        "'--max-steps' '4' '--set' 'task.template=it'\\''s {text}' --threads \"${SLURM_CPUS_PER_TASK:-1}\" >>\"$log\" 2>&1 &", lines);
        Assert.Contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_resources_are_left_out_and_no_limit_means_no_percent()
    {
        var script = SlurmScript.Format(Job(["exp"], "/r/x-sweep", new ClusterOptions()));
        Assert.Contains("#SBATCH --array=0-3\n", script, StringComparison.Ordinal);
        Assert.Contains($"#SBATCH --signal=B:USR1@{ClusterOptions.DefaultSignalSeconds}\n", script, StringComparison.Ordinal);
        foreach (var absent in new[] { "--partition", "--account", "--time", "--cpus-per-task", "--gpus", "--mem" })
            Assert.DoesNotContain(absent, script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, 2, "0-3%2")]
    [InlineData(new[] { 5, 0, 2, 3 }, null, "0,2-3,5")]
    [InlineData(new[] { 7 }, 1, "7%1")]
    public void Array_spec_compresses_indices_into_ranges(int[] indices, int? max, string expected)
        => Assert.Equal(expected, ArraySpec.Format(indices, max));

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Theory]
    [InlineData(10, "USR1", 0, true, true)]    // pre-timeout: checkpoint, then requeue the task; the batch step succeeds
    [InlineData(15, "TERM", 130, false, true)] // scancel / preemption: checkpoint and exit 130; a resubmission resumes
    [InlineData(10, "USR1", 0, true, false)]   // USR1 before the program took it (it died of it): requeued all the same
    public async Task Batch_shell_passes_the_signal_on_to_the_trial_and_requeues_after_USR1(int signal, string name, int exitCode, bool requeued, bool handled)
    {
        if (!OperatingSystem.IsLinux()) return;
        var dir = Path.Combine(Path.GetTempPath(), "dp-slurm-script-tests", Guid.NewGuid().ToString("N"));
        var root = Path.Combine(dir, "runs", "x-sweep");
        var bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        try
        {
            // A stand-in trial: records its arguments, then waits; on USR1 or TERM it "checkpoints" and exits 130.
            var trial = Path.Combine(dir, "trial.sh");
            var traps = handled ? $$"""
                trap 'echo "$0 got USR1" > {{dir}}/signal; exit 130' USR1
                trap 'echo "$0 got TERM" > {{dir}}/signal; exit 130' TERM
                """ : "";
            File.WriteAllText(trial, traps + $$"""

                echo "$@" > {{dir}}/args
                while :; do sleep 0.05; done
                """);
            File.WriteAllText(Path.Combine(bin, "scontrol"), $"#!/bin/sh\necho \"$@\" > {dir}/scontrol\n");
            File.SetUnixFileMode(Path.Combine(bin, "scontrol"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            var scriptPath = Path.Combine(dir, "job.sbatch");
            File.WriteAllText(scriptPath, SlurmScript.Format(Job(["bash", trial], root)));

            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(scriptPath);
            start.Environment["SLURM_ARRAY_TASK_ID"] = "2";
            start.Environment["SLURM_ARRAY_JOB_ID"] = "77";
            start.Environment["SLURM_CPUS_PER_TASK"] = "3";
            start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            using var batch = Process.Start(start)!;
            var output = batch.StandardOutput.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(dir, "args")) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
            Assert.True(File.Exists(Path.Combine(dir, "args")), "the trial did not start");
            Assert.Equal(0, Kill(batch.Id, signal));
            if (!batch.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                batch.Kill(entireProcessTree: true);
                Assert.Fail("the batch script did not end after the signal");
            }
            var said = await output;
            Assert.True(exitCode == batch.ExitCode, said + batch.StandardError.ReadToEnd());
            if (handled) Assert.Equal($"{trial} got {name}", File.ReadAllText(Path.Combine(dir, "signal")).Trim());
            Assert.Equal("sweep run-trial 2 --experiment my exp --output " + Path.Combine(dir, "runs") +
                         " --max-steps 4 --set task.template=it's {text} --threads 3", File.ReadAllText(Path.Combine(dir, "args")).Trim());
            Assert.Equal(requeued ? "requeue 77_2" : null, File.Exists(Path.Combine(dir, "scontrol")) ? File.ReadAllText(Path.Combine(dir, "scontrol")).Trim() : null);
            Assert.True(File.Exists(Path.Combine(root, "kind-prefix_seed-1", SweepFolder.LogFileName)), "the trial's output goes to its trial.log");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
