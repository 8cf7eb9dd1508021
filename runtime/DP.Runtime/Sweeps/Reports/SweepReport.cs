using System.Text.Json;
using DP.Runtime.Experiments;
using DP.Runtime.Metrics;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps.Reports;

/// <summary>One finished trial's score: the reported metric on the validation set of the weights the run kept.</summary>
public sealed record TrialScore(int Index, string Task, string Configuration, string? Seed, double Score);

/// <summary>One (task, configuration) cell: the configuration is the trial's overrides other than seed and task.</summary>
public sealed record ReportRow(string Task, string Configuration, string? Method, Summary Summary, IReadOnlyList<double> Scores);

/// <summary>A method against the baseline on one task and the same other settings, paired by seed.</summary>
public sealed record Comparison(string Task, string Configuration, string Baseline, PairedDifference Difference);

/// <summary>A configuration's mean over tasks of its per-task means (the SuperGLUE way), when it ran on several tasks.</summary>
public sealed record TaskAverage(string Configuration, int Tasks, double Mean);

/// <summary>A trial the report could not use, and why (not finished, failed, no such metric).</summary>
public sealed record Unreported(int Index, string Folder, string Overrides, string State);

/// <summary>
/// The aggregate of a sweep's finished trials. Keys that pick the task (task.kind, task.superglue, task.data_dir),
/// keys whose value follows from the task in every trial (zipped with it, e.g. task.max_length) and the seed
/// (training.seed) are not part of a configuration; every other swept key is.
/// </summary>
public sealed record SweepReport(
    string Experiment,
    string Metric,
    string Split,
    string? Baseline,
    IReadOnlyList<TrialScore> Trials,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyList<TaskAverage> Averages,
    IReadOnlyList<Unreported> Unreported)
{
    public const string SeedKey = "training.seed", MethodKey = "method.kind";
    public static readonly IReadOnlyList<string> TaskKeys = ["task.kind", "task.superglue", "task.data_dir"];

    /// <summary>The metric name shown when none is asked for: the SuperGLUE task score, or each run's best_metric.</summary>
    public const string DefaultMetric = "score";

    /// <summary>The sets of results.json a report can score: the validation set (default) or the test set (task.test_file).</summary>
    public const string ValidationSplit = "validation", TestSplit = "test";
    public static readonly IReadOnlyList<string> Splits = [ValidationSplit, TestSplit];

    public static SweepReport Build(SweepContext context, string? baseline, string? metric, string split = ValidationSplit)
    {
        if (!Splits.Contains(split)) throw new ArgumentException($"--split '{split}': use {string.Join(" or ", Splits)}.");
        var tiedToTask = TiedToTask(context.Trials);
        var scores = new List<TrialScore>();
        var unreported = new List<Unreported>();
        foreach (var view in context.Trials.Select(context.View))
        {
            var (score, why) = Score(context, view, metric, split, tiedToTask);
            if (score is not null) scores.Add(score);
            else unreported.Add(new Unreported(view.Trial.Index, view.Trial.FolderName, view.Trial.OverridesText, why!));
        }
        var methods = context.Trials.Select(t => t.Get(MethodKey)).Where(m => m is not null).Distinct().ToList();
        baseline ??= methods.FirstOrDefault();
        if (baseline is not null && methods.Count > 0 && !methods.Contains(baseline))
            throw new ArgumentException($"--baseline '{baseline}' is not a swept method.kind ({string.Join(", ", methods)}).");

        var rows = scores.GroupBy(s => (s.Task, s.Configuration))
            .Select(g => new ReportRow(g.Key.Task, g.Key.Configuration, MethodOf(context, g.First().Index),
                SweepStatistics.Summarize(g.Select(s => s.Score).ToList()), g.Select(s => s.Score).ToList()))
            .ToList();
        var comparisons = methods.Count > 1 && baseline is not null ? Compare(context, scores, baseline, tiedToTask) : [];
        var tasks = rows.Select(r => r.Task).Distinct().ToList();
        var averages = tasks.Count < 2 ? [] : rows.GroupBy(r => r.Configuration)
            .Where(g => g.Count() == tasks.Count)
            .Select(g => new TaskAverage(g.Key, g.Count(), g.Average(r => r.Summary.Mean))).ToList();
        return new SweepReport(context.Defaults.Name, metric ?? DefaultMetric, split, methods.Count > 1 ? baseline : null, scores, rows, comparisons, averages, unreported);
    }

    private static string? MethodOf(SweepContext context, int index) => context.Trials[index].Get(MethodKey);

    /// <summary>The trial's overrides that make its configuration (not seed, not task), as text.</summary>
    public static string ConfigurationOf(SweepTrial trial, IReadOnlySet<string>? leaveOut = null)
    {
        var parts = trial.Overrides.Where(o => o.Key != SeedKey && !TaskKeys.Contains(o.Key) && leaveOut?.Contains(o.Key) != true).ToList();
        return parts.Count == 0 ? "(spec)" : string.Join(" ", parts);
    }

    // Keys whose value follows from the task in every trial (zipped with it: its max length, its selection metric)
    // describe the task, not a configuration: left out of configurations, so rows of one method line up across tasks.
    private static HashSet<string> TiedToTask(IReadOnlyList<SweepTrial> trials)
    {
        string Task(SweepTrial t) => string.Join(" ", TaskKeys.Select(t.Get));
        return trials.Select(Task).Distinct().Count() < 2 ? [] : TiedTo(trials, Task, [.. TaskKeys, MethodKey, SeedKey]);
    }

    private static HashSet<string> TiedTo(IReadOnlyList<SweepTrial> trials, Func<SweepTrial, string> group, IReadOnlyList<string> own)
        => trials.SelectMany(t => t.Overrides.Select(o => o.Key)).Distinct()
            .Where(k => !own.Contains(k) && trials.GroupBy(group).All(g => g.Select(t => t.Get(k)).Distinct().Count() == 1))
            .ToHashSet();

    private static IReadOnlyList<Comparison> Compare(SweepContext context, List<TrialScore> scores, string baseline, HashSet<string> tiedToTask)
    {
        // A method is paired with the baseline's trial that agrees on every key the baseline's own trials vary. Keys
        // the baseline holds at one value (zipped with the methods, e.g. method.position, or swept for the others
        // only) describe the method, not a setting both share: they are not matched.
        var baselineTrials = context.Trials.Where(t => t.Get(MethodKey) == baseline).ToList();
        var leaveOut = context.Trials.SelectMany(t => t.Overrides.Select(o => o.Key)).Distinct()
            .Where(k => baselineTrials.Select(t => t.Get(k)).Distinct().Count() <= 1).ToHashSet();
        leaveOut.Add(MethodKey);
        leaveOut.UnionWith(tiedToTask);
        string Match(TrialScore s) => ConfigurationOf(context.Trials[s.Index], leaveOut);
        var baselines = scores.Where(s => context.Trials[s.Index].Get(MethodKey) == baseline)
            .ToDictionary(s => (s.Task, Match(s), s.Seed));
        var result = new List<Comparison>();
        foreach (var g in scores.GroupBy(s => (s.Task, s.Configuration)))
        {
            if (context.Trials[g.First().Index].Get(MethodKey) is not { } method || method == baseline) continue;
            var pairs = g.Where(s => baselines.ContainsKey((s.Task, Match(s), s.Seed)))
                .Select(s => (Score: s.Score, Against: baselines[(s.Task, Match(s), s.Seed)])).ToList();
            if (pairs.Count > 0)
                result.Add(new Comparison(g.Key.Task, g.Key.Configuration, pairs[0].Against.Configuration,
                    SweepStatistics.Paired(pairs.Select(p => (p.Score, p.Against.Score)).ToList())));
        }
        return result;
    }

    private static (TrialScore?, string?) Score(SweepContext context, TrialView view, string? metric, string split, IReadOnlySet<string> tiedToTask)
    {
        if (view.Status != TrialStatus.Finished || view.Options is null) return (null, SweepCli.StateText(view));
        var path = context.Folder.ResultsPath(view.Trial)!;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var validation = doc.RootElement.TryGetProperty(split, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble())
            : [];
        var options = view.Options;
        var superGlue = options.Task.Kind == DataKind.SuperGlue;
        var task = superGlue ? options.Task.SuperGlue.ToString().ToLowerInvariant() : options.Name;
        double value;
        if (metric is not null)
        {
            if (!validation.TryGetValue(metric, out value)) return (null, $"finished, but its results have no {split} '{metric}' ({string.Join(", ", validation.Keys)})");
        }
        else if (superGlue)
        {
            if (SuperGlueScore.OfficialMetrics(task).Any(m => !validation.ContainsKey(m))) return (null, $"finished, but its results lack the task's official metrics on the {split} set");
            value = SuperGlueScore.TaskScore(task, validation);
        }
        else if (!validation.TryGetValue(options.Training.BestMetric, out value))
        {
            return (null, $"finished, but its results have no {split} '{options.Training.BestMetric}'");
        }
        return (new TrialScore(view.Trial.Index, task, ConfigurationOf(view.Trial, tiedToTask), view.Trial.Get(SeedKey), value), null);
    }

    public void WriteJson(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, ReportJson.Indented));
}
