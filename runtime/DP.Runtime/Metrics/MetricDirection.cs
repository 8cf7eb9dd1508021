using DP.Runtime.Training.Evaluation;

namespace DP.Runtime.Metrics;

/// <summary>Which way a validation metric improves: only the loss goes down; every task metric goes up.</summary>
public static class MetricDirection
{
    public static bool LowerIsBetter(string metric) => metric == Evaluator.LossKey;
}
