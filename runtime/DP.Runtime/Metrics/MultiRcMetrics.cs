namespace DP.Runtime.Metrics;

/// <summary>One MultiRC answer-option: its question group, gold and predicted truth (1 = true).</summary>
public readonly record struct MultiRcAnswer(string Question, int Gold, int Predicted);

/// <summary>
/// MultiRC metrics: em = fraction of questions whose answer-options are all predicted right;
/// f1a = binary F1 over all answer-options pooled.
/// </summary>
public static class MultiRcMetrics
{
    public static (double Em, double F1a) Compute(IReadOnlyList<MultiRcAnswer> answers)
    {
        if (answers.Count == 0) return (0, 0);
        var questions = answers.GroupBy(a => a.Question).ToList();
        var exact = questions.Count(q => q.All(a => a.Gold == a.Predicted));
        var f1a = ClassificationMetrics.F1(answers.Select(a => a.Gold).ToList(), answers.Select(a => a.Predicted).ToList());
        return ((double)exact / questions.Count, f1a);
    }
}
