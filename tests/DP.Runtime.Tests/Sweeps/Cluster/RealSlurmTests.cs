using System.Diagnostics;
using DP.Runtime.Sweeps;
using DP.Runtime.Sweeps.Slurm;
using Xunit;
using Xunit.Abstractions;

namespace DP.Runtime.Tests.Sweeps.Cluster;

/// <summary>
/// The tiny sweep of <see cref="SweepRunTests"/> (2 methods × 2 seeds, 4 steps) submitted to a real one-node Slurm
/// cluster as a 4-task array, 2 at a time, and waited for; then status and report read the sweep folder.
/// </summary>
[Collection(SlurmCollection.Name)]
public class RealSlurmTests(LocalSlurmCluster cluster, ITestOutputHelper log)
{
    [SkippableFact]
    public void A_sweep_submitted_as_a_job_array_runs_every_trial_and_reports()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        log.WriteLine($"Slurm install check/install {cluster.InstallTime.TotalSeconds:0.0} s, daemons started and node idle in {cluster.StartTime.TotalSeconds:0.0} s");
        var dir = Path.Combine(Path.GetTempPath(), "dp-slurm-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        SweepProbeProgram.WriteData(data);
        var output = Path.Combine(dir, "runs");
        var sweep = SweepProbeProgram.SweepFolder(output);
        SweepProbeProgram.Result Sweep(TimeSpan limit, params string[] args)
            => SweepProbeProgram.Wait(SweepProbeProgram.Start(data, cluster.Environment, ["sweep", .. args, "--output", output]), limit);
        try
        {
            var dry = Sweep(TimeSpan.FromMinutes(2), "submit", "--slurm", "--max-parallel", "2", "--cpus", "1", "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.Output);
            Assert.Contains("#SBATCH --array=0-3%2", dry.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(sweep), "--dry-run wrote nothing");

            var clock = Stopwatch.StartNew();
            var submitted = Sweep(TimeSpan.FromMinutes(8), "submit", "--slurm", "--max-parallel", "2", "--cpus", "1", "--time", "10", "--wait");
            log.WriteLine($"sbatch --wait of the 4-trial array: {clock.Elapsed.TotalSeconds:0.0} s");
            var jobs = SlurmJobRecord.Read(sweep);
            if (submitted.ExitCode == -1 && jobs.Count > 0) cluster.Command("scancel", TimeSpan.FromSeconds(20), jobs[^1].JobId);
            Assert.True(submitted.ExitCode == 0, submitted.Output + Logs(sweep));
            var job = Assert.Single(jobs);
            Assert.Equal("0-3%2", job.Array);
            Assert.Contains($"submitted job {job.JobId}: array 0-3%2 (4 trials)", submitted.Output, StringComparison.Ordinal);
            foreach (var t in SweepProbeProgram.Trials)
            {
                var state = TrialState.Read(Path.Combine(sweep, t));
                Assert.True(state is { Status: TrialStatus.Finished, Attempts: 1 }, t + Logs(sweep));
            }
            // Each array task wrote its own output file beside the trials.
            Assert.Equal(4, Directory.GetFiles(Path.Combine(sweep, SlurmScript.FolderName), $"{job.JobId}_*.out").Length);

            var status = Sweep(TimeSpan.FromMinutes(2), "status");
            Assert.True(status.ExitCode == 0, status.Output);
            Assert.Contains($"4 trials in {sweep}: 4 finished", status.Output, StringComparison.Ordinal);
            Assert.Contains($"Slurm job {job.JobId}", status.Output, StringComparison.Ordinal);

            var report = Sweep(TimeSpan.FromMinutes(2), "report");
            Assert.True(report.ExitCode == 0, report.Output);
            Assert.Contains("method.kind=prefix | 2 |", report.Output, StringComparison.Ordinal);

            var again = Sweep(TimeSpan.FromMinutes(2), "submit", "--slurm");
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Contains("nothing to submit", again.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Logs(string sweep)
    {
        if (!Directory.Exists(sweep)) return "";
        return string.Join("\n", Directory.EnumerateFiles(sweep, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".out", StringComparison.Ordinal) || f.EndsWith(SweepFolder.LogFileName, StringComparison.Ordinal))
            .Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
    }
}
