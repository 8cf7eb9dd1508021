namespace DP.Runtime.Metrics;

/// <summary>
/// The SuperGLUE summary: each task's score is the mean of its official metrics (CB: accuracy and macro-F1,
/// MultiRC: em and f1a, ReCoRD: em and f1, others: accuracy), and the benchmark score is the mean over tasks.
/// </summary>
public static class SuperGlueScore
{
    /// <summary>The official metrics of a task (by the names Score dictionaries use).</summary>
    public static IReadOnlyList<string> OfficialMetrics(string task) => task.ToLowerInvariant() switch
    {
        "cb" => ["accuracy", "macro_f1"],
        "multirc" => ["em", "f1a"],
        "record" => ["em", "f1"],
        "boolq" or "copa" or "rte" or "wic" or "wsc" => ["accuracy"],
        _ => throw new ArgumentException($"'{task}' is not a SuperGLUE task"),
    };

    public static double TaskScore(string task, IReadOnlyDictionary<string, double> metrics) =>
        OfficialMetrics(task).Average(m => metrics.TryGetValue(m, out var v)
            ? v
            : throw new KeyNotFoundException($"metrics of task '{task}' lack '{m}'"));

    /// <summary>Mean of the task scores (each task's metrics averaged first).</summary>
    public static double Average(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> metricsByTask)
    {
        if (metricsByTask.Count == 0) throw new ArgumentException("no tasks to average");
        return metricsByTask.Average(kv => TaskScore(kv.Key, kv.Value));
    }
}
