using DP.Runtime.Experiments;
using DP.Runtime.Sweeps;
using DP.Runtime.Sweeps.Slurm;
using Xunit;

namespace DP.Runtime.Tests.Sweeps.Cluster;

/// <summary><c>sweep status</c> over a sweep folder written by hand, the scheduler's answers parsed, and the cluster options checked.</summary>
public class SweepStatusTests
{
    [Fact]
    public void Status_shows_each_trial_from_the_folder_and_its_slurm_task()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = SweepTestOverrides.Defaults("status-test", dir);
            var sweep = new SweepDefinition(["method.kind", "training.seed"], [["prompt", "1"], ["prompt", "2"], ["prefix", "1"]]);
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, sweep, SweepFolder.For(defaults), []);
            var first = context.View(context.Trials[0]);
            new TrialState { Index = 0, Status = TrialStatus.Running, Attempts = 2, ConfigSha256 = first.ConfigSha256! }.Write(first.Folder);
            var second = context.View(context.Trials[1]);
            new TrialState { Index = 1, Status = TrialStatus.Failed, ExitCode = 1, Attempts = 1, ConfigSha256 = second.ConfigSha256! }.Write(second.Folder);

            var views = context.Trials.Select(context.View).ToList();
            var text = SweepStatus.Format("status-test", context.Folder.Root, views, new Dictionary<int, string> { [0] = "RUNNING", [2] = "PENDING" });
            var lines = text.Split('\n');
            Assert.Equal($"status-test: 3 trials in {context.Folder.Root}: 1 pending, 1 running, 1 failed", lines[0]);
            Assert.Matches(@"^trial\s+folder\s+state\s+attempts\s+slurm$", lines[1]);
            Assert.Matches(@"^0\s+kind-prompt_seed-1\s+running\s+2\s+RUNNING$", lines[2]);
            Assert.Matches(@"^1\s+kind-prompt_seed-2\s+failed \(exit 1\)\s+1\s+-$", lines[3]);
            Assert.Matches(@"^2\s+kind-prefix_seed-1\s+pending\s+0\s+PENDING$", lines[4]);
            // Without a submission there is no scheduler column.
            Assert.DoesNotContain("slurm", SweepStatus.Format("status-test", context.Folder.Root, views, null).Split('\n')[1], StringComparison.Ordinal);

            // The job record is appended to, atomically, newest last.
            SlurmJobRecord.Append(context.Folder.Root, new SlurmSubmission("41", "a.sbatch", "0-2%2", DateTimeOffset.UnixEpoch));
            SlurmJobRecord.Append(context.Folder.Root, new SlurmSubmission("42", "b.sbatch", "1", DateTimeOffset.UnixEpoch));
            Assert.Equal(["41", "42"], SlurmJobRecord.Read(context.Folder.Root).Select(s => s.JobId));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(SlurmJobRecord.PathIn(context.Folder.Root))!, "*.tmp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Squeue_and_sacct_lines_give_the_state_of_each_array_task()
    {
        var parsed = SlurmQueue.Parse("12_0|RUNNING\n12_3|PENDING\n12_[4-5%2]|PENDING\n12_1|CANCELLED by 0\n\ngarbage\n").ToList();
        Assert.Equal([(0, "RUNNING"), (3, "PENDING"), (1, "CANCELLED")], parsed);
    }

    [Theory]
    [InlineData("submit --slurm --time 90min", "--time '90min': expected minutes, MM:SS")]
    [InlineData("submit --slurm --partition a;b", "--partition 'a;b'")]
    [InlineData("submit --slurm --gpus 0", "--gpus '0'")]
    [InlineData("submit --slurm --mem 16GB", "--mem '16GB'")]
    [InlineData("submit --slurm --max-parallel 0", "--max-parallel '0': expected a whole number ≥ 1")]
    [InlineData("submit --slurm --cpus", "--cpus needs a value")]
    [InlineData("submit", "sweep submit needs the engine: --slurm")]
    [InlineData("submit --slurm --time 2 --signal-seconds 120", "--signal-seconds 120 is not less than the --time limit (120 s)")]
    [InlineData("submit --slurm --time 1-0 --signal-seconds 86400", "(86400 s)")]
    [InlineData("submit --slurm --image x", "--image, --volume-claim and --mount-path are options of 'sweep manifest --kubernetes'")]
    [InlineData("run --cpus 2", "--cpus is an option of 'sweep submit' and 'sweep manifest'")]
    [InlineData("plan --slurm", "--slurm is an option of 'sweep submit'")]
    [InlineData("manifest --kubernetes", "needs --image")]
    [InlineData("manifest --kubernetes --image x --time 10", "--partition, --account, --time")]
    [InlineData("manifest --kubernetes --image x --volume-claim Shared_Runs", "--volume-claim 'Shared_Runs'")]
    public void Bad_cluster_options_are_refused_with_the_option_named(string line, string message)
        => Assert.Contains(message, Assert.Throws<ArgumentException>(() => SweepArguments.Parse(line.Split(' '))).Message);

    [Fact]
    public void Good_cluster_options_are_kept()
    {
        var a = SweepArguments.Parse("submit --slurm --max-parallel 2 --cpus 4 --mem 8G --gpus 1 --time 30 --partition short --account lab --signal-seconds 60 --dry-run --max-steps 3".Split(' '));
        Assert.Equal(SweepVerb.Submit, a.Verb);
        Assert.Equal((2, 4, "8G", "1", "30", "short", "lab", 60, true), (a.Cluster.MaxParallel, a.Cluster.Cpus, a.Cluster.Mem, a.Cluster.Gpus, a.Cluster.Time, a.Cluster.Partition, a.Cluster.Account, a.Cluster.SignalSeconds, a.Cluster.DryRun));
        Assert.Equal(["--max-steps", "3"], a.TrainArgs);
    }

    [Theory]
    [InlineData("90", 5400)]
    [InlineData("10:30", 630)]
    [InlineData("1:02:03", 3723)]
    [InlineData("2-3", 2 * 86400 + 3 * 3600)]
    [InlineData("2-3:04", 2 * 86400 + 3 * 3600 + 240)]
    [InlineData("2-03:04:05", 2 * 86400 + 3 * 3600 + 245)]
    public void Slurm_time_limits_are_read_in_every_form(string time, int seconds)
        => Assert.Equal(seconds, new DP.Runtime.Sweeps.Cluster.ClusterOptions { Time = time }.TimeLimitSeconds);

    [Fact]
    public void A_trial_another_process_runs_is_not_run_twice()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = SweepTestOverrides.Defaults("lock-test", dir);
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, new SweepDefinition(["training.seed"], [["1"]]), SweepFolder.For(defaults), []);
            var folder = context.Folder.TrialFolder(context.Trials[0]);
            using (var held = TrialRun.Lock(folder))
            {
                Assert.NotNull(held);
                Assert.Null(TrialRun.Lock(folder));
                Assert.Equal(ExperimentCli.Failed, TrialRun.Run(context, context.Trials[0], threads: 1));
                Assert.Null(TrialState.Read(folder)); // nothing written
            }
            using var again = TrialRun.Lock(folder); // released with its holder
            Assert.NotNull(again);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
