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
    private static readonly string[] Trials = ["kind-prompt_seed-1", "kind-prompt_seed-2", "kind-prefix_seed-1", "kind-prefix_seed-2"];

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private sealed record Result(int ExitCode, string Output);

    private static Process Start(string data, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "DP.Runtime.Probes.dll"), "sweep-experiment", data }.Concat(args)) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static Result Wait(Process p)
    {
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(p.ExitCode, output + "\nstderr: " + error.Result);
    }

    private static TrialState? State(string sweep, string trial) => TrialState.Read(Path.Combine(sweep, trial));

    [Fact]
    public async Task Interrupted_sweep_resumes_and_finishes_every_trial_exactly_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        string[] good = ["a wonderful film", "great acting", "i loved it", "superb and moving"];
        string[] bad = ["a terrible film", "boring and long", "i hated it", "awful acting"];
        string Lines(int n) => string.Join("\n", Enumerable.Range(0, n).Select(i =>
            JsonSerializer.Serialize(new { text = i % 2 == 0 ? good[i / 2 % 4] : bad[i / 2 % 4], label = i % 2 == 0 ? "positive" : "negative" })));
        File.WriteAllText(Path.Combine(data, "train.jsonl"), Lines(16));
        File.WriteAllText(Path.Combine(data, "val.jsonl"), Lines(8));
        var output = Path.Combine(dir, "runs");
        var sweep = Path.Combine(output, "sweep-probe-sweep");
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
