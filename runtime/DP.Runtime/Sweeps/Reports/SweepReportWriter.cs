using System.Globalization;
using System.Text;
using ScottPlot;

namespace DP.Runtime.Sweeps.Reports;

/// <summary>A <see cref="SweepReport"/> as Markdown, CSV (one row per task and configuration) and a PNG bar chart.</summary>
public static class SweepReportWriter
{
    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Markdown(SweepReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Sweep report: {report.Experiment}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Metric: {report.Metric} on the {report.Split} set, mean ± sample standard deviation over seeds (n).\n\n");
        if (report.Rows.Count > 0) AppendGrid(md, report);
        md.Append("| task | configuration | n | mean ± std |\n|---|---|---:|---:|\n");
        foreach (var r in report.Rows)
            md.Append(CultureInfo.InvariantCulture, $"| {r.Task} | {r.Configuration} | {r.Summary.N} | {F(r.Summary.Mean)}{(r.Summary.Std is double s ? " ± " + F(s) : "")} |\n");
        if (report.Averages.Count > 0)
        {
            md.Append("\n## Average over tasks (SuperGLUE style: the mean of the per-task means)\n\n| configuration | tasks | average |\n|---|---:|---:|\n");
            foreach (var a in report.Averages) md.Append(CultureInfo.InvariantCulture, $"| {a.Configuration} | {a.Tasks} | {F(a.Mean)} |\n");
        }
        if (report.Comparisons.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Against the baseline method.kind={report.Baseline}, paired by seed\n\n");
            md.Append("Mean difference (configuration − baseline) with a 95 % confidence interval from the paired t distribution (n − 1 degrees of freedom).\n\n");
            md.Append("| task | configuration | baseline | pairs | difference | 95 % CI |\n|---|---|---|---:|---:|---|\n");
            foreach (var c in report.Comparisons)
            {
                var d = c.Difference;
                var ci = d.Low is double lo && d.High is double hi ? $"[{F(lo)}, {F(hi)}]{(d.Significant ? " *" : "")}" : "n < 2";
                md.Append(CultureInfo.InvariantCulture, $"| {c.Task} | {c.Configuration} | {c.Baseline} | {d.N} | {F(d.Mean)} | {ci} |\n");
            }
            md.Append("\n\\* the interval excludes 0.\n");
        }
        if (report.Unreported.Count > 0)
        {
            md.Append("\n## Trials not in the tables\n\n| trial | folder | overrides | state |\n|---:|---|---|---|\n");
            foreach (var u in report.Unreported) md.Append(CultureInfo.InvariantCulture, $"| {u.Index} | {u.Folder} | {u.Overrides} | {u.State} |\n");
        }
        return md.ToString();
    }

    /// <summary>
    /// Configurations × tasks (and, with several tasks, the average over them), as benchmark tables are read; in %
    /// when every score is a fraction. A cell shows (n) when it has fewer seeds than the fullest cell.
    /// </summary>
    private static void AppendGrid(StringBuilder md, SweepReport report)
    {
        var tasks = report.Rows.Select(r => r.Task).Distinct().ToList();
        bool percent = report.Rows.All(r => r.Scores.All(v => v is >= 0 and <= 1));
        double scale = percent ? 100 : 1;
        string V(double v) => percent ? (v * scale).ToString("0.0", CultureInfo.InvariantCulture) : F(v);
        int most = report.Rows.Max(r => r.Summary.N);
        bool average = tasks.Count > 1;
        md.Append(percent ? "In %.\n\n" : "").Append("| configuration | ").Append(string.Join(" | ", tasks)).Append(average ? " | average |\n|---|" : " |\n|---|");
        md.Append(string.Concat(Enumerable.Repeat("---:|", tasks.Count + (average ? 1 : 0)))).Append('\n');
        foreach (var configuration in report.Rows.Select(r => r.Configuration).Distinct())
        {
            md.Append("| ").Append(configuration).Append(" |");
            foreach (var task in tasks)
            {
                var r = report.Rows.FirstOrDefault(x => x.Configuration == configuration && x.Task == task);
                md.Append(r is null ? " – |" : $" {V(r.Summary.Mean)}{(r.Summary.Std is double sd ? " ± " + V(sd) : "")}{(r.Summary.N < most ? $" ({r.Summary.N})" : "")} |");
            }
            var mean = report.Averages.FirstOrDefault(a => a.Configuration == configuration);
            md.Append(!average ? "\n" : mean is null ? " – |\n" : $" {V(mean.Mean)} |\n");
        }
        md.Append('\n');
    }

    public static void Csv(SweepReport report, string path)
    {
        using var csv = global::CsvHelper.CsvWriter.ToFile(path, global::CsvHelper.CsvWriterOptions.Default);
        foreach (var h in new[] { "task", "configuration", "method", "n", "mean", "std", "scores" }) csv.WriteField(h);
        csv.EndRecord();
        foreach (var r in report.Rows)
        {
            csv.WriteField(r.Task);
            csv.WriteField(r.Configuration);
            csv.WriteField(r.Method ?? "");
            csv.WriteField(r.Summary.N.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(r.Summary.Mean.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(r.Summary.Std?.ToString("R", CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(string.Join(" ", r.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
            csv.EndRecord();
        }
    }

    /// <summary>One group of bars per task, one bar per configuration, error bars ± std.</summary>
    public static void Chart(SweepReport report, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var tasks = report.Rows.Select(r => r.Task).Distinct().ToList();
        var configurations = report.Rows.Select(r => r.Configuration).Distinct().ToList();
        double width = 0.8 / Math.Max(1, configurations.Count);
        for (int ci = 0; ci < configurations.Count; ci++)
        {
            var bars = report.Rows.Where(r => r.Configuration == configurations[ci]).Select(r => new Bar
            {
                Position = tasks.IndexOf(r.Task) + (ci - (configurations.Count - 1) / 2.0) * width,
                Value = r.Summary.Mean,
                Error = r.Summary.Std ?? 0,
                Size = width * 0.9,
                ErrorSize = width * 0.4,
                FillColor = palette.GetColor(ci),
            }).ToList();
            plot.Add.Bars(bars).LegendText = configurations[ci];
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, tasks.Count).Select(i => (double)i).ToArray(), tasks.ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{report.Experiment}: {report.Metric} (mean ± std over seeds)");
        plot.YLabel(report.Metric);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 1000, 560);
    }
}
