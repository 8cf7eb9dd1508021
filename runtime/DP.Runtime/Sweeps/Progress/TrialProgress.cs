using System.Globalization;
using DP.Runtime.Metrics;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps.Progress;

/// <summary>One row of <c>sweep run</c>'s live table: a trial's state, its newest step and its best validation value so far.</summary>
public sealed record TrialProgress(int Index, string Folder, string State, long? Step, long MaxSteps, string Metric, double? Best)
{
    /// <summary>The newest step and the best value of <paramref name="metric"/> over the evaluations in <paramref name="records"/>.</summary>
    public static (long? Step, double? Best) FromMetrics(IReadOnlyList<MetricsRecord> records, string metric)
    {
        if (records.Count == 0) return (null, null);
        var values = records.Where(r => r.Split != "train" && r.Values.ContainsKey(metric)).Select(r => r.Values[metric]).Where(double.IsFinite).ToList();
        double? best = values.Count == 0 ? null : MetricDirection.LowerIsBetter(metric) ? values.Min() : values.Max();
        return (records.Max(r => r.Step), best);
    }

    /// <summary>The metrics log of the trial's newest run under its folder (train's layout: trial/&lt;experiment&gt;/run-NNN/metrics.jsonl).</summary>
    public static IReadOnlyList<MetricsRecord> ReadLog(string trialFolder)
    {
        if (!Directory.Exists(trialFolder)) return [];
        var newest = Directory.EnumerateFiles(trialFolder, "metrics.jsonl", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
        return newest is null ? [] : MetricsLog.ReadWhileWritten(newest);
    }

    public string[] Cells() =>
    [
        Index.ToString(CultureInfo.InvariantCulture), Folder, State,
        Step is long s ? $"{s.ToString(CultureInfo.InvariantCulture)}/{MaxSteps.ToString(CultureInfo.InvariantCulture)}" : "-",
        Best is double b ? b.ToString("0.####", CultureInfo.InvariantCulture) : "-",
    ];
}
