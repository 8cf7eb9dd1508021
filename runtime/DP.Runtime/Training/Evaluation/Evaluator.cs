using DP.Runtime.Data;
using DP.Runtime.Devices;
using DP.Runtime.Metrics;
using DP.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Evaluation;

/// <summary>One example's prediction: its key, the predicted index and the gold index (−1 when unlabelled).</summary>
public sealed record Prediction(long Key, int Predicted, int Gold);

/// <summary>Metrics of an evaluation set plus, on request, each prediction and the prompt choices made.</summary>
public sealed record EvaluationResult(
    string SetName,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<Prediction> Predictions,
    IReadOnlyList<int> SplitChoices,
    IReadOnlyList<int> LengthChoices);

/// <summary>
/// Runs a model over an evaluation set without gradients, in eval mode, and scores it: the set's metrics plus
/// <see cref="LossKey"/>, the mean cross-entropy of the scores over the labelled examples (eval mode, so no
/// Gumbel noise: the loss of the choices the model makes at evaluation).
/// </summary>
public static class Evaluator
{
    /// <summary>The metrics key of the validation loss (lower is better; see <see cref="MetricDirection"/>).</summary>
    public const string LossKey = "loss";

    /// <param name="progress">Called with (batches done, batches) before the first batch and after each one.</param>
    public static EvaluationResult Evaluate(ITrainableModel model, IEvaluationSet set, Device device, bool collectChoices = false,
        Action<int, int>? progress = null)
    {
        var module = model.Module;
        bool wasTraining = module.training;
        module.eval();
        var predictions = new List<Prediction>();
        var splits = new List<int>();
        var lengths = new List<int>();
        // The loss is summed on the device (in float64, as the host once summed it) and read once at the end.
        using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        long lossRows = 0;
        try
        {
            using var _ = no_grad();
            int done = 0, total = set.Batches.Count;
            progress?.Invoke(0, total);
            foreach (var batch in set.Batches)
            {
                using var scope = NewDisposeScope();
                var gold = batch.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
                var (onDevice, predictedOnDevice, loss) = ScoreBatch(model, set.Name, batch, device, gold);
                if (loss is not null)
                {
                    lossSum.add_(loss.to(ScalarType.Float64));
                    lossRows += gold.Count(g => g >= 0);
                }
                // The predictions go to the host batch by batch: evaluation's one read per batch.
                var predicted = predictedOnDevice.cpu().data<long>().ToArray();
                for (int i = 0; i < batch.Size; i++)
                    predictions.Add(new Prediction(batch.ExampleKeys[i], (int)predicted[i], i < gold.Length ? (int)gold[i] : -1));
                if (collectChoices && model is IPromptChoiceReporter reporter)
                {
                    var (split, length) = reporter.Choices(onDevice);
                    splits.AddRange(split);
                    lengths.AddRange(length);
                }
                progress?.Invoke(++done, total);
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        var metrics = new Dictionary<string, double>(set.Score(predictions.ToDictionary(p => p.Key, p => p.Predicted)));
        if (lossRows > 0) metrics[LossKey] = lossSum.item<double>() / lossRows;
        return new EvaluationResult(set.Name, metrics, predictions, splits, lengths);
    }

    /// <summary>
    /// One batch's device work, with nothing read back: the batch on the device, each row's predicted index (int64) and
    /// the summed cross-entropy of its labelled rows (null when <paramref name="gold"/>, its host labels, has none).
    /// </summary>
    internal static (ModelBatch OnDevice, Tensor Predicted, Tensor? LossSum) ScoreBatch(ITrainableModel model, string setName, ModelBatch batch,
        Device device, long[] gold)
    {
        var onDevice = batch.To(device);
        var scores = model.Scores(onDevice);
        if (scores.shape.Length != 2 || scores.shape[0] != batch.Size)
            throw new InvalidOperationException(
                $"Evaluation of '{setName}': the model returned scores of shape [{string.Join(", ", scores.shape)}] for a batch of {batch.Size} examples; expected [{batch.Size}, classes].");
        var predicted = scores.argmax(-1).to_type(ScalarType.Int64);
        return (onDevice, predicted, gold.Length == batch.Size ? LabelledLoss(scores, gold) : null);
    }

    // Summed cross-entropy of the labelled rows (gold ≥ 0), on the scores' device; null when no row is labelled (test sets).
    private static Tensor? LabelledLoss(Tensor scores, long[] gold)
    {
        var labelled = Enumerable.Range(0, gold.Length).Where(i => gold[i] >= 0).Select(i => (long)i).ToArray();
        if (labelled.Length == 0) return null;
        var index = tensor(labelled, device: scores.device);
        var labels = tensor(labelled.Select(i => gold[i]).ToArray(), device: scores.device);
        return nn.functional.cross_entropy(MetaFallback.IndexSelect(scores, 0, index).to(ScalarType.Float32), labels, reduction: nn.Reduction.Sum);
    }
}
