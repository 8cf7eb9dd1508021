namespace DP.Runtime.Metrics;

/// <summary>Accuracy and F1 over class indices (gold and predicted lists in the same order).</summary>
public static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<int> gold, IReadOnlyList<int> predicted)
    {
        CheckSameLength(gold, predicted);
        if (gold.Count == 0) return 0;
        var right = 0;
        for (var i = 0; i < gold.Count; i++) if (gold[i] == predicted[i]) right++;
        return (double)right / gold.Count;
    }

    /// <summary>F1 of one class taken as positive (binary F1: <paramref name="positive"/> = 1). 0 when undefined.</summary>
    public static double F1(IReadOnlyList<int> gold, IReadOnlyList<int> predicted, int positive = 1)
    {
        CheckSameLength(gold, predicted);
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < gold.Count; i++)
        {
            bool g = gold[i] == positive, p = predicted[i] == positive;
            if (g && p) tp++;
            else if (p) fp++;
            else if (g) fn++;
        }
        return F1FromCounts(tp, fp, fn);
    }

    /// <summary>The unweighted mean of the per-class F1 over classes 0..numClasses-1 (SuperGLUE CB).</summary>
    public static double MacroF1(IReadOnlyList<int> gold, IReadOnlyList<int> predicted, int numClasses)
    {
        if (numClasses <= 0) throw new ArgumentOutOfRangeException(nameof(numClasses));
        var sum = 0.0;
        for (var c = 0; c < numClasses; c++) sum += F1(gold, predicted, c);
        return sum / numClasses;
    }

    internal static double F1FromCounts(int tp, int fp, int fn) =>
        tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);

    static void CheckSameLength(IReadOnlyList<int> gold, IReadOnlyList<int> predicted)
    {
        if (gold.Count != predicted.Count)
            throw new ArgumentException($"{gold.Count} gold labels but {predicted.Count} predictions");
    }
}
