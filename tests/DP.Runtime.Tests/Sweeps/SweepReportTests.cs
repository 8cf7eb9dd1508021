using System.Text.Json;
using DP.Runtime.Experiments;
using DP.Runtime.Sweeps;
using DP.Runtime.Sweeps.Reports;
using Xunit;

namespace DP.Runtime.Tests.Sweeps;

/// <summary>sweep report over a sweep folder written by hand: finished, failed and pending trials.</summary>
public class SweepReportTests
{
    [Fact]
    public void Aggregates_finished_trials_compares_paired_seeds_and_lists_the_others()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = SweepTestOverrides.Defaults("report-test", dir);
            var methods = new[] { "prompt", "dynamic", "prefix" };
            var sweep = new SweepDefinition(["method.kind", "training.seed"],
                methods.SelectMany(m => new[] { "1", "2", "3" }.Select(s => new[] { m, s })).ToList());
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, sweep, SweepFolder.For(defaults), []);
            var accuracy = new Dictionary<(string, string), double>
            {
                [("prompt", "1")] = 0.6, [("prompt", "2")] = 0.7, [("prompt", "3")] = 0.8,
                [("dynamic", "1")] = 0.8, [("dynamic", "2")] = 0.75,
            };
            foreach (var trial in context.Trials)
            {
                var view = context.View(trial);
                var key = (trial.Get("method.kind")!, trial.Get("training.seed")!);
                if (accuracy.TryGetValue(key, out var acc))
                {
                    var run = Path.Combine(view.Folder, "report-test");
                    Directory.CreateDirectory(run);
                    File.WriteAllText(Path.Combine(run, "results.json"), JsonSerializer.Serialize(new { validation = new { accuracy = acc, f1 = 0.5 } }));
                    new TrialState { Index = trial.Index, Status = TrialStatus.Finished, ExitCode = 0, ConfigSha256 = view.ConfigSha256! }.Write(view.Folder);
                }
                else if (key == ("dynamic", "3"))
                {
                    new TrialState { Index = trial.Index, Status = TrialStatus.Failed, ExitCode = 1, ConfigSha256 = view.ConfigSha256! }.Write(view.Folder);
                }
            }

            var report = SweepReport.Build(context, baseline: null, metric: null);
            Assert.Equal("prompt", report.Baseline);
            Assert.Equal(2, report.Rows.Count);
            var prompt = report.Rows.Single(r => r.Method == "prompt");
            Assert.Equal(("method.kind=prompt", 3), (prompt.Configuration, prompt.Summary.N));
            Assert.Equal(0.7, prompt.Summary.Mean, 9);
            Assert.Equal(0.1, prompt.Summary.Std!.Value, 9);
            var dynamic = report.Rows.Single(r => r.Method == "dynamic");
            Assert.Equal(2, dynamic.Summary.N);
            Assert.Equal(0.775, dynamic.Summary.Mean, 9);

            // Paired on seeds 1 and 2 only (seed 3 of dynamic failed): d = 0.2, 0.05 → 0.125 ± 12.7062047 · 0.075.
            var c = Assert.Single(report.Comparisons);
            Assert.Equal(("method.kind=dynamic", "method.kind=prompt", 2), (c.Configuration, c.Baseline, c.Difference.N));
            Assert.Equal(0.125, c.Difference.Mean, 9);
            Assert.Equal(-0.8279654, c.Difference.Low!.Value, 6);
            Assert.Equal(1.0779654, c.Difference.High!.Value, 6);
            Assert.Empty(report.Averages); // one task

            Assert.Equal(4, report.Unreported.Count);
            Assert.StartsWith("failed (exit 1)", report.Unreported.Single(u => u.Overrides == "method.kind=dynamic training.seed=3").State, StringComparison.Ordinal);
            Assert.Equal(3, report.Unreported.Count(u => u.State == "pending"));

            var byMetric = SweepReport.Build(context, baseline: "dynamic", metric: "f1");
            Assert.Equal(0.5, byMetric.Rows[0].Summary.Mean, 9);
            Assert.Contains("'prefx'", Assert.Throws<ArgumentException>(() => SweepReport.Build(context, "prefx", null)).Message);

            Assert.Equal(ExperimentCli.Ok, SweepReportCommand.Run(context, null, null));
            var md = File.ReadAllText(context.Folder.ReportPath("md"));
            Assert.Contains("| report-test | method.kind=prompt | 3 | 0.7000 ± 0.1000 |", md, StringComparison.Ordinal);
            Assert.Contains("| method.kind=dynamic | 77.5 ± 3.5 (2) |\n", md, StringComparison.Ordinal); // one task: no average column
            Assert.Contains("| 8 | kind-prefix_seed-3 | method.kind=prefix training.seed=3 | pending |", md, StringComparison.Ordinal);
            var csv = File.ReadAllLines(context.Folder.ReportPath("csv"));
            Assert.Equal(3, csv.Length);
            Assert.StartsWith("task,configuration,method,n,mean,std,scores", csv[0], StringComparison.Ordinal);
            using (var json = JsonDocument.Parse(File.ReadAllText(context.Folder.ReportPath("json"))))
                Assert.Equal(4, json.RootElement.GetProperty("unreported").GetArrayLength());
            Assert.True(new FileInfo(context.Folder.ReportPath("png")).Length > 1000);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_key_zipped_with_the_method_does_not_keep_it_from_its_baseline()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = new ExperimentOptions { Name = "tied" };
            defaults.Task.Kind = DataKind.Custom;
            defaults.Output.Dir = dir;
            var sweep = new SweepDefinition(["method.kind", "method.position", "training.seed"],
                [["prompt", "prefix", "1"], ["prompt", "prefix", "2"], ["dynamic", "instance", "1"], ["dynamic", "instance", "2"]]);
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, sweep, SweepFolder.For(defaults), []);
            double[] accuracy = [0.5, 0.6, 0.7, 0.7];
            foreach (var trial in context.Trials)
            {
                var view = context.View(trial);
                Directory.CreateDirectory(Path.Combine(view.Folder, "tied"));
                File.WriteAllText(Path.Combine(view.Folder, "tied", "results.json"), JsonSerializer.Serialize(new { validation = new { accuracy = accuracy[trial.Index] } }));
                new TrialState { Index = trial.Index, Status = TrialStatus.Finished, ExitCode = 0, ConfigSha256 = view.ConfigSha256! }.Write(view.Folder);
            }
            var report = SweepReport.Build(context, null, null);
            Assert.True(report.Comparisons.Count == 1, string.Join("; ", report.Unreported.Select(u => u.State)) + " | " + string.Join("; ", report.Rows.Select(r => r.Configuration)));
            var c = report.Comparisons[0];
            Assert.Equal(("method.kind=dynamic method.position=instance", "method.kind=prompt method.position=prefix", 2),
                (c.Configuration, c.Baseline, c.Difference.N));
            Assert.Equal(0.15, c.Difference.Mean, 9);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Scores_the_test_split_and_lines_up_methods_across_tasks_despite_keys_zipped_with_the_task()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = new ExperimentOptions { Name = "bench", Method = new DynamicPromptingOptions { Position = PositionPolicy.Prefix } };
            defaults.Output.Dir = dir;
            // (task, max length) zipped, × method, × seeds 1–2: what the accuracy benchmark's spec does.
            var sweep = new SweepDefinition(["task.superglue", "task.max_length", "method.kind", "training.seed"],
                (from task in new[] { ("rte", "128"), ("boolq", "256") }
                 from method in new[] { "prompt", "prefix" }
                 from seed in new[] { "1", "2" }
                 select new[] { task.Item1, task.Item2, method, seed }).ToList());
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, sweep, SweepFolder.For(defaults), []);
            foreach (var trial in context.Trials)
            {
                var view = context.View(trial);
                double test = (trial.Get("method.kind") == "prefix" ? 0.6 : 0.5) + (trial.Get("training.seed") == "2" ? 0.1 : 0)
                              + (trial.Get("task.superglue") == "boolq" ? 0.2 : 0);
                Directory.CreateDirectory(Path.Combine(view.Folder, "bench"));
                File.WriteAllText(Path.Combine(view.Folder, "bench", "results.json"),
                    JsonSerializer.Serialize(new { validation = new { accuracy = 0.9 }, test = new { accuracy = test } }));
                new TrialState { Index = trial.Index, Status = TrialStatus.Finished, ExitCode = 0, ConfigSha256 = view.ConfigSha256! }.Write(view.Folder);
            }

            var onValidation = SweepReport.Build(context, null, null);
            Assert.All(onValidation.Rows, r => Assert.Equal(0.9, r.Summary.Mean, 9));

            var report = SweepReport.Build(context, null, null, SweepReport.TestSplit);
            Assert.Equal(["method.kind=prefix", "method.kind=prompt"], report.Rows.Select(r => r.Configuration).Distinct().Order());
            Assert.Equal(0.55, report.Rows.Single(r => r.Task == "rte" && r.Method == "prompt").Summary.Mean, 9);
            var averages = report.Averages.ToDictionary(a => a.Configuration, a => a.Mean);
            Assert.Equal(0.65, averages["method.kind=prompt"], 9); // (0.55 + 0.75) / 2
            Assert.Equal(0.75, averages["method.kind=prefix"], 9);
            Assert.Equal(2, report.Comparisons.Count);
            Assert.All(report.Comparisons, c => Assert.Equal(0.1, c.Difference.Mean, 9));
            Assert.Contains("--split 'dev'", Assert.Throws<ArgumentException>(() => SweepReport.Build(context, null, null, "dev")).Message);

            Assert.Equal(ExperimentCli.Ok, SweepReportCommand.Run(context, null, null, SweepReport.TestSplit));
            var md = File.ReadAllText(context.Folder.ReportPath("md"));
            Assert.Contains("on the test set", md, StringComparison.Ordinal);
            Assert.Contains("| configuration | rte | boolq | average |", md, StringComparison.Ordinal);
            Assert.Contains("| method.kind=prompt | 55.0 ± 7.1 | 75.0 ± 7.1 | 65.0 |", md, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Variants_of_one_method_kind_are_each_paired_with_the_baseline()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-sweep-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var defaults = new ExperimentOptions { Name = "variants" };
            defaults.Task.Kind = DataKind.Custom;
            defaults.Output.Dir = dir;
            // prompt, dp with task position, dp with instance position and a pool: kind, position and pool size zipped.
            string[][] methods = [["prompt", "prefix", "0"], ["dynamic", "task", "0"], ["dynamic", "instance", "4"]];
            var sweep = new SweepDefinition(["method.kind", "method.position", "method.pool.size", "training.seed"],
                methods.SelectMany(m => new[] { "1", "2" }.Select(seed => new[] { m[0], m[1], m[2], seed })).ToList());
            var context = new SweepContext(defaults, SweepTestOverrides.Apply, sweep, SweepFolder.For(defaults), []);
            foreach (var trial in context.Trials)
            {
                var view = context.View(trial);
                double accuracy = 0.5 + 0.1 * (trial.Index / 2) + (trial.Get("training.seed") == "2" ? 0.05 : 0);
                Directory.CreateDirectory(Path.Combine(view.Folder, "variants"));
                File.WriteAllText(Path.Combine(view.Folder, "variants", "results.json"), JsonSerializer.Serialize(new { validation = new { accuracy } }));
                new TrialState { Index = trial.Index, Status = TrialStatus.Finished, ExitCode = 0, ConfigSha256 = view.ConfigSha256! }.Write(view.Folder);
            }
            var report = SweepReport.Build(context, "prompt", null);
            Assert.Equal(2, report.Comparisons.Count);
            Assert.Equal(0.1, report.Comparisons.Single(c => c.Configuration.Contains("position=task", StringComparison.Ordinal)).Difference.Mean, 9);
            Assert.Equal(0.2, report.Comparisons.Single(c => c.Configuration.Contains("pool.size=4", StringComparison.Ordinal)).Difference.Mean, 9);
            Assert.All(report.Comparisons, c => Assert.Equal(2, c.Difference.N));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
