using DP.Runtime.Models;

namespace DP.Runtime.Data;

/// <summary>
/// Training batches, deterministic for (seed, epoch): resuming at (epoch, index) reproduces the rest of the run.
/// </summary>
public interface ITrainBatchSource
{
    /// <summary>The batches of one epoch, in order; the same seed and epoch always give the same batches.</summary>
    IReadOnlyList<ModelBatch> EpochBatches(int epoch);
}

/// <summary>An evaluation set: its batches and how to score predictions of them.</summary>
public interface IEvaluationSet
{
    string Name { get; }
    IReadOnlyList<ModelBatch> Batches { get; }

    /// <summary>The metric that summarises the set (accuracy, macro_f1, f1a, ...).</summary>
    string PrimaryMetric { get; }

    /// <summary>Metrics of predicted class (or candidate) indices keyed by example key.</summary>
    IReadOnlyDictionary<string, double> Score(IReadOnlyDictionary<long, int> predictions);

    /// <summary>A human-readable label for a predicted index (for predictions files).</summary>
    string LabelName(int index);
}
