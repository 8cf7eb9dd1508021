using DP.Runtime.Data;
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

/// <summary>Runs a model over an evaluation set without gradients, in eval mode, and scores it.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(ITrainableModel model, IEvaluationSet set, Device device, bool collectChoices = false)
    {
        var module = model.Module;
        bool wasTraining = module.training;
        module.eval();
        var predictions = new List<Prediction>();
        var splits = new List<int>();
        var lengths = new List<int>();
        try
        {
            using var _ = no_grad();
            foreach (var batch in set.Batches)
            {
                using var scope = NewDisposeScope();
                var onDevice = batch.To(device);
                var scores = model.Scores(onDevice);
                if (scores.shape.Length != 2 || scores.shape[0] != batch.Size)
                    throw new InvalidOperationException(
                        $"Evaluation of '{set.Name}': the model returned scores of shape [{string.Join(", ", scores.shape)}] for a batch of {batch.Size} examples; expected [{batch.Size}, classes].");
                var predicted = scores.argmax(-1).cpu().to_type(ScalarType.Int64).data<long>().ToArray();
                var gold = batch.Labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
                for (int i = 0; i < batch.Size; i++)
                    predictions.Add(new Prediction(batch.ExampleKeys[i], (int)predicted[i], i < gold.Length ? (int)gold[i] : -1));
                if (collectChoices && model is IPromptChoiceReporter reporter)
                {
                    var (split, length) = reporter.Choices(onDevice);
                    splits.AddRange(split);
                    lengths.AddRange(length);
                }
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        var metrics = set.Score(predictions.ToDictionary(p => p.Key, p => p.Predicted));
        return new EvaluationResult(set.Name, metrics, predictions, splits, lengths);
    }
}
