using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace DP.Benchmarks.Accuracy;

/// <summary>
/// Tables from results.jsonl: per regime and step count, one row per method, one column per task (mean ± std of
/// the SuperGLUE task score over seeds, in %), and the average over tasks. Also summary.json and a bar plot.
/// </summary>
public static class AccuracyReport
{
    private static readonly string[] TaskOrder = ["BoolQ", "CB", "COPA", "RTE", "WiC", "WSC", "MultiRC"];

    public sealed record Cell(string Task, string Method, double Mean, double Std, int Runs, IReadOnlyList<int> Seeds);
    public sealed record Table(string Regime, int Steps, IReadOnlyList<string> Tasks, IReadOnlyList<string> Methods,
        IReadOnlyList<Cell> Cells, IReadOnlyDictionary<string, double?> Average);

    public static IReadOnlyList<Table> Build(IReadOnlyList<AccuracyRecord> records)
    {
        var tables = new List<Table>();
        foreach (var group in records.GroupBy(r => (r.Regime, r.Steps)).OrderBy(g => g.Key.Regime).ThenBy(g => g.Key.Steps))
        {
            // A rerun of the same key (e.g. after a crash) counts once: the latest line wins.
            var runs = group.GroupBy(r => r.Key).Select(g => g.Last()).ToList();
            var tasks = runs.Select(r => r.Task).Distinct().OrderBy(t => Array.IndexOf(TaskOrder, t)).ToList();
            var methods = runs.Select(r => r.Method).Distinct()
                .OrderBy(m => MethodCatalog.All.ToList().FindIndex(x => x.Name == m)).ToList();
            var cells = new List<Cell>();
            foreach (var m in methods)
                foreach (var t in tasks)
                {
                    var scores = runs.Where(r => r.Method == m && r.Task == t).OrderBy(r => r.Seed).ToList();
                    if (scores.Count == 0) continue;
                    var values = scores.Select(r => 100 * r.Score).ToList();
                    cells.Add(new Cell(t, m, values.Average(), Std(values), values.Count, scores.Select(r => r.Seed).ToList()));
                }
            // The average column needs every task of the table; a method missing one gets no average.
            var average = methods.ToDictionary(m => m, m =>
            {
                var mine = cells.Where(c => c.Method == m).ToList();
                return mine.Count == tasks.Count ? mine.Average(c => c.Mean) : (double?)null;
            });
            tables.Add(new Table(group.Key.Regime, group.Key.Steps, tasks, methods, cells, average));
        }
        return tables;
    }

    /// <summary>Sample standard deviation (n − 1); 0 for a single run.</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    public static string Markdown(IReadOnlyList<Table> tables, IReadOnlyList<AccuracyRecord> records)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var table in tables)
        {
            var mine = records.Where(r => r.Regime == table.Regime && r.Steps == table.Steps).ToList();
            var evalSizes = mine.GroupBy(r => r.Task).Select(g => $"{g.Key} {g.Max(r => r.EvalExamples)}");
            var trainSizes = mine.GroupBy(r => r.Task).Select(g => $"{g.Key} {g.Max(r => r.TrainExamples)}");
            sb.AppendLine(inv, $"### {table.Regime}, {table.Steps} steps");
            sb.AppendLine();
            sb.AppendLine(inv, $"Score in % (SuperGLUE task score: CB = mean of accuracy and macro-F1, MultiRC = mean of EM and F1a, others accuracy), mean ± sample std over seeds; (n) = runs when fewer than 3, no ± for a single run. Train examples: {string.Join(", ", trainSizes)}. Evaluated examples (rows): {string.Join(", ", evalSizes)}.");
            sb.AppendLine();
            sb.Append("| method |");
            foreach (var t in table.Tasks) sb.Append(inv, $" {t} |");
            sb.AppendLine(" Avg |");
            sb.Append("|---|");
            foreach (var _ in table.Tasks) sb.Append("---|");
            sb.AppendLine("---|");
            foreach (var m in table.Methods)
            {
                sb.Append(inv, $"| {m} |");
                foreach (var t in table.Tasks)
                {
                    var c = table.Cells.FirstOrDefault(x => x.Method == m && x.Task == t);
                    // One run has no spread: show its value and (1) rather than a misleading ± 0.0.
                    sb.Append(c is null ? " – |"
                        : c.Runs == 1 ? string.Create(inv, $" {c.Mean:F1} (1) |")
                        : string.Create(inv, $" {c.Mean:F1} ± {c.Std:F1}{(c.Runs < 3 ? $" ({c.Runs})" : "")} |"));
                }
                sb.AppendLine(table.Average[m] is double a ? string.Create(inv, $" {a:F1} |") : " – |");
            }
            sb.AppendLine();
            AppendCost(sb, table, mine);
        }
        return sb.ToString();
    }

    /// <summary>What the runs cost per method: median wall time of a run and the largest peak resident memory recorded.</summary>
    private static void AppendCost(StringBuilder sb, Table table, IReadOnlyList<AccuracyRecord> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("| method | runs | median s/run | max peak RSS MB |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var m in table.Methods)
        {
            var mine = runs.Where(r => r.Method == m).ToList();
            var seconds = mine.Select(r => r.Seconds).Order().ToList();
            double median = seconds.Count % 2 == 1 ? seconds[seconds.Count / 2] : (seconds[seconds.Count / 2 - 1] + seconds[seconds.Count / 2]) / 2;
            sb.AppendLine(inv, $"| {m} | {mine.Count} | {median:F0} | {PeakCell(mine)} |");
        }
        sb.AppendLine();
    }

    /// <summary>The largest recorded peak; per batch-width multiple when runs differ in it (it changes the allocator's load).</summary>
    private static string PeakCell(IReadOnlyList<AccuracyRecord> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var groups = runs.Where(r => r.PeakRssMb is not null).GroupBy(r => r.PadMultiple ?? 1).OrderBy(g => g.Key).ToList();
        if (groups.Count == 0) return "–";
        if (runs.Select(r => r.PadMultiple ?? 1).Distinct().Count() == 1) return groups[0].Max(r => r.PeakRssMb!.Value).ToString("F0", inv);
        return string.Join(" · ", groups.Select(g => $"{g.Max(r => r.PeakRssMb!.Value).ToString("F0", inv)} (pad {g.Key})"));
    }

    /// <summary>Writes results.md, summary.json and accuracy-&lt;regime&gt;.png into <paramref name="outDir"/>; returns the markdown.</summary>
    public static string Write(IReadOnlyList<AccuracyRecord> records, string outDir, bool quiet)
    {
        var tables = Build(records);
        var md = Markdown(tables, records);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.md"), md);
        File.WriteAllText(Path.Combine(outDir, "summary.json"),
            JsonSerializer.Serialize(tables, new JsonSerializerOptions(AccuracyRecord.Json) { WriteIndented = true }));
        foreach (var table in tables) Plot(table, Path.Combine(outDir, $"accuracy-{table.Regime}-{table.Steps}.png"));
        if (!quiet) Console.WriteLine($"wrote {Path.Combine(outDir, "results.md")}, summary.json and plots");
        return md;
    }

    /// <summary>Grouped bars: one group per task (and the average), one bar per method, with ± std error bars.</summary>
    public static void Plot(Table table, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        // With one task the average is the same bar again.
        var groups = table.Tasks.Count > 1 ? table.Tasks.Append("Avg").ToList() : table.Tasks.ToList();
        int nm = table.Methods.Count;
        double width = 0.8 / Math.Max(1, nm);
        for (int mi = 0; mi < nm; mi++)
        {
            var m = table.Methods[mi];
            var bars = new List<Bar>();
            for (int gi = 0; gi < groups.Count; gi++)
            {
                double? value; double err = 0;
                if (groups[gi] == "Avg") value = table.Average[m];
                else
                {
                    var c = table.Cells.FirstOrDefault(x => x.Method == m && x.Task == groups[gi]);
                    value = c?.Mean; err = c?.Std ?? 0;
                }
                if (value is not double v) continue;
                bars.Add(new Bar
                {
                    Position = gi + (mi - (nm - 1) / 2.0) * width,
                    Value = v,
                    Error = err,
                    Size = width * 0.9,
                    ErrorSize = width * 0.4, // the cap stays within its own bar
                    FillColor = palette.GetColor(mi),
                });
            }
            var added = plot.Add.Bars(bars);
            added.LegendText = m;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, 100); // scores are percentages; the headroom keeps the legend off the bars
        plot.Title($"MiniLM-L6 · {table.Regime} · {table.Steps} steps (mean ± std over seeds)");
        plot.YLabel("score (%)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 600);
    }
}
