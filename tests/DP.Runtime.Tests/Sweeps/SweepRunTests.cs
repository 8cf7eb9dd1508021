using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using DP.Runtime.Sweeps;
using Xunit;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>
/// A real local sweep (2 methods × 2 seeds × 4 steps, MiniLM on a small custom task) run by the sweep-experiment
/// program of DP.Runtime.Probes, whose trials are child processes of their own: stopped mid-way by SIGTERM, then
/// rerun; every trial finishes exactly once. Nothing here touches this process's torch state.
/// </summary>
public class SweepRunTests
{
    private static readonly string[] Trials = SweepProbeProgram.Trials;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static Process Start(string data, params string[] args) => SweepProbeProgram.Start(data, args);

    private static SweepProbeProgram.Result Wait(Process p) => SweepProbeProgram.Wait(p);

    private static TrialState? State(string sweep, string trial) => TrialState.Read(Path.Combine(sweep, trial));

    [Fact]
    public async Task Interrupted_sweep_resumes_and_finishes_every_trial_exactly_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        SweepProbeProgram.WriteData(data);
        var output = Path.Combine(dir, "runs");
        var sweep = SweepProbeProgram.SweepFolder(output);
        try
        {
            var plan = Wait(Start(data, "sweep", "plan", "--output", output));
            Assert.True(plan.ExitCode == 0, plan.Output);
            Assert.All(Trials, t => Assert.Contains(t + "  pending", plan.Output, StringComparison.Ordinal));

            // First run: stopped by SIGTERM once the first trial has finished.
            var first = Start(data, "sweep", "run", "--output", output, "--parallel", "1", "--threads", "1");
            var firstResult = Task.Run(() => Wait(first));
            while (!firstResult.IsCompleted && State(sweep, Trials[0]) is not { Status: TrialStatus.Finished }) await Task.Delay(100);
            if (!firstResult.IsCompleted) Assert.Equal(0, Kill(first.Id, 15));
            var stopped = await firstResult;
            Assert.True(stopped.ExitCode == 130, stopped.Output);
            Assert.Contains("interrupted", stopped.Output, StringComparison.Ordinal);
            Assert.Null(State(sweep, Trials[3])); // never started

            // Second run: the finished trial is skipped, the others run (the interrupted one resuming).
            var second = Wait(Start(data, "sweep", "run", "--output", output, "--parallel", "1", "--threads", "1"));
            Assert.True(second.ExitCode == 0, second.Output + string.Join("\n", Trials.Select(t => File.ReadAllText(Path.Combine(sweep, t, "trial.log")))));
            Assert.Contains("1 finished", second.Output, StringComparison.Ordinal);
            foreach (var t in Trials)
            {
                var state = State(sweep, t)!;
                Assert.Equal(TrialStatus.Finished, state.Status);
                using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(sweep, t, state.Results!)));
                Assert.Equal(4, results.RootElement.GetProperty("steps").GetInt64());
            }
            Assert.Equal(1, State(sweep, Trials[0])!.Attempts);
            Assert.Equal(1, State(sweep, Trials[2])!.Attempts);
            Assert.Equal(1, State(sweep, Trials[3])!.Attempts);

            // Third run: nothing left to do.
            var third = Wait(Start(data, "sweep", "run", "--output", output));
            Assert.True(third.ExitCode == 0, third.Output);
            Assert.Contains("0 to run", third.Output, StringComparison.Ordinal);
            var report = Wait(Start(data, "sweep", "report", "--output", output));
            Assert.True(report.ExitCode == 0, report.Output);
            Assert.Contains("method.kind=prefix | 2 |", report.Output, StringComparison.Ordinal);
            Assert.Contains("| sweep-probe | method.kind=prefix | method.kind=prompt | 2 |", report.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
