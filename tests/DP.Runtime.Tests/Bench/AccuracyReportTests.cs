using System.Text.Json;
using DP.Benchmarks.Accuracy;
using Xunit;

namespace DP.Runtime.Tests.Bench;

/// <summary>The accuracy benchmark's bookkeeping: results lines, tables from them, and the BoolQ half split.</summary>
public sealed class AccuracyReportTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"dp-bench-tests-{Guid.NewGuid():N}");

    public AccuracyReportTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static AccuracyRecord Record(string task, string method, int seed, double score, string regime = "fewshot") => new()
    {
        Regime = regime, Task = task, Method = method, Seed = seed, Steps = 40, BackboneDType = "bfloat16", Score = score,
        EvalMetrics = new() { ["accuracy"] = score }, SelectionMetric = "accuracy", SelectionValue = 0.5, BestStep = 10,
        TrainExamples = 32, EvalExamples = 100, Seconds = 1, FinishedUtc = DateTime.UnixEpoch,
    };

    [Fact]
    public void Cells_are_mean_and_sample_std_over_seeds_and_the_average_needs_every_task()
    {
        var path = Path.Combine(dir, "results.jsonl");
        Record("RTE", "prompt", 1, 0.50).Append(path);
        Record("RTE", "prompt", 2, 0.60).Append(path);
        Record("RTE", "prompt", 3, 0.70).Append(path);
        Record("CB", "prompt", 1, 0.80).Append(path);
        Record("RTE", "finetune", 1, 0.40).Append(path); // finetune lacks CB: no average

        var table = Assert.Single(AccuracyReport.Build(AccuracyRecord.ReadAll(path)));
        var rte = table.Cells.Single(c => c.Method == "prompt" && c.Task == "RTE");
        Assert.Equal(60.0, rte.Mean, 6);
        Assert.Equal(10.0, rte.Std, 6);
        Assert.Equal(3, rte.Runs);
        Assert.Equal((60.0 + 80.0) / 2, table.Average["prompt"]!.Value, 6);
        Assert.Null(table.Average["finetune"]);
        Assert.Equal(["finetune", "prompt"], table.Methods); // catalogue order, not file order

        var md = AccuracyReport.Markdown([table], AccuracyRecord.ReadAll(path));
        Assert.Contains("| prompt | 80.0 (1) | 60.0 ± 10.0 | 70.0 |", md);
    }

    [Fact]
    public void Peak_memory_is_shown_per_batch_width_multiple_when_runs_differ_in_it()
    {
        // Records made before widths were rounded carry no multiple: they count as 1.
        var records = new List<AccuracyRecord>
        {
            Record("RTE", "prompt", 1, 0.5) with { PeakRssMb = 2800 },
            Record("RTE", "prompt", 2, 0.5) with { PeakRssMb = 2100, PadMultiple = 8 },
            Record("RTE", "prompt", 3, 0.5) with { PeakRssMb = 2000, PadMultiple = 8 },
            Record("RTE", "finetune", 1, 0.5) with { PeakRssMb = 1500, PadMultiple = 8 },
        };
        var md = AccuracyReport.Markdown(AccuracyReport.Build(records), records);
        Assert.Contains("| prompt | 3 | 1 | 2800 (pad 1) · 2100 (pad 8) |", md);
        Assert.Contains("| finetune | 1 | 1 | 1500 |", md);
    }

    [Fact]
    public void A_rerun_of_the_same_run_counts_once_with_its_latest_result()
    {
        var path = Path.Combine(dir, "results.jsonl");
        Record("RTE", "prompt", 1, 0.50).Append(path);
        Record("RTE", "prompt", 1, 0.70).Append(path);
        var cell = Assert.Single(Assert.Single(AccuracyReport.Build(AccuracyRecord.ReadAll(path))).Cells);
        Assert.Equal(1, cell.Runs);
        Assert.Equal(70.0, cell.Mean, 6);
    }

    [Fact]
    public void A_broken_results_line_is_an_error_naming_file_and_line()
    {
        var path = Path.Combine(dir, "results.jsonl");
        Record("RTE", "prompt", 1, 0.50).Append(path);
        File.AppendAllText(path, "{\"regime\": \n");
        var e = Assert.Throws<InvalidDataException>(() => AccuracyRecord.ReadAll(path));
        Assert.Contains($"{path}(2)", e.Message);
    }

    [Fact]
    public void BoolQ_halves_split_by_idx_into_disjoint_halves_covering_every_example()
    {
        var boolq = Path.Combine(dir, "data", "BoolQ");
        Directory.CreateDirectory(boolq);
        // Lines out of idx order: the split must sort by idx, not take file order.
        var idx = new[] { 5, 0, 3, 1, 4, 2, 6 };
        File.WriteAllLines(Path.Combine(boolq, "val.jsonl"),
            idx.Select(i => JsonSerializer.Serialize(new { question = $"q{i}", passage = "p", idx = i, label = i % 2 == 0 })));
        var (train, eval) = AccuracyBenchmark.BoolQHalves(Path.Combine(dir, "data"), Path.Combine(dir, "work"));
        static int[] Ids(string f) => File.ReadLines(f).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("idx").GetInt32()).ToArray();
        Assert.Equal([0, 1, 2], Ids(train));
        Assert.Equal([3, 4, 5, 6], Ids(eval));
        Assert.StartsWith(Path.GetFullPath(Path.Combine(dir, "work")), train);
    }

    [Fact]
    public void Options_reject_unknown_methods_and_tasks_with_the_known_names()
    {
        var data = Path.Combine(dir, "fewglue");
        Directory.CreateDirectory(data);
        var m = Assert.Throws<ArgumentException>(() => AccuracyOptions.Parse(["--data", data, "--methods", "prompt,nope"]));
        Assert.Contains("nope", m.Message);
        Assert.Contains("dp-ins-pos", m.Message);
        var t = Assert.Throws<ArgumentException>(() => AccuracyOptions.Parse(["--data", data, "--tasks", "RTE,ReCoRD"]));
        Assert.Contains("ReCoRD", t.Message);
        var o = AccuracyOptions.Parse(["--data", data, "--tasks", "rte,cb", "--seeds", "4,5", "--steps", "12"]);
        Assert.Equal([DP.Runtime.Experiments.SuperGlueTask.RTE, DP.Runtime.Experiments.SuperGlueTask.CB], o.Tasks);
        Assert.Equal([4, 5], o.Seeds);
        Assert.Equal(12, o.Steps);
    }
}
