using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Loading;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Metrics;
using DP.Runtime.Models;

namespace DP.Runtime.Data.Evaluation;

/// <summary>
/// A validation or test set of one task: batches sorted by length (little padding, fixed order) and the task's
/// metrics over predictions keyed by example key. Unlabeled examples are not scored.
/// </summary>
public sealed class TaskEvaluationSet : IEvaluationSet, IDisposable
{
    readonly TaskInfo _info;
    readonly MetricKind _metric;
    readonly Dictionary<long, (TaskExample Example, EncodedExample Encoded)> _byKey;
    readonly int _positiveClass;

    public TaskEvaluationSet(string name, TaskInfo info, MetricKind metric, IReadOnlyList<TaskExample> examples,
        IReadOnlyList<EncodedExample> encoded, int batchSize, BatchLayout layout, int positiveClass = 1)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be positive");
        Name = name;
        _info = info;
        _metric = metric;
        _positiveClass = positiveClass;
        _byKey = new Dictionary<long, (TaskExample, EncodedExample)>(encoded.Count);
        for (var i = 0; i < encoded.Count; i++) _byKey.Add(encoded[i].Key, (examples[i], encoded[i]));
        var plan = LengthBucketing.Sorted(encoded.Select(e => e.Length).ToList(), batchSize)
            .Select(b => (IReadOnlyList<EncodedExample>)b.Select(i => encoded[i]).ToList())
            .ToList();
        _batches = new BatchList(plan, layout);
        Keys = encoded.Select(e => e.Key).ToList();
    }

    public string Name { get; }

    readonly BatchList _batches;

    /// <summary>Built when first read and kept for the life of the set (which owns them).</summary>
    public IReadOnlyList<ModelBatch> Batches => _batches;

    public void Dispose() => _batches.Dispose();

    public IReadOnlyList<long> Keys { get; }

    public TaskInfo Info => _info;

    public string PrimaryMetric => _info.PrimaryMetric;

    public string LabelName(int index) =>
        !_info.IsMultipleChoice && index >= 0 && index < _info.LabelNames.Count
            ? _info.LabelNames[index]
            : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The candidate text of a multiple-choice prediction (for predictions files).</summary>
    public string ChoiceText(long key, int index) =>
        _byKey.TryGetValue(key, out var e) && e.Example.Choices is { } c && index >= 0 && index < c.Count
            ? c[index].Text
            : LabelName(index);

    /// <summary>
    /// The task's metrics over the examples that have a prediction (unlabeled ones are skipped); a key that is not
    /// an example of this set is an error.
    /// </summary>
    public IReadOnlyDictionary<string, double> Score(IReadOnlyDictionary<long, int> predictions)
    {
        var scored = new List<(TaskExample Example, int Gold, int Predicted)>();
        foreach (var (key, predicted) in predictions)
        {
            if (!_byKey.TryGetValue(key, out var e))
                throw new ArgumentException($"{Name}: prediction for key {key}, which is not an example of this set");
            var labeled = e.Encoded.Label >= 0 || e.Example.GoldAnswers is not null;
            if (labeled) scored.Add((e.Example, e.Encoded.Label, predicted));
        }
        if (scored.Count == 0) return new Dictionary<string, double>();
        var gold = scored.Select(s => s.Gold).ToList();
        var pred = scored.Select(s => s.Predicted).ToList();
        switch (_metric)
        {
            case MetricKind.Accuracy:
                return new Dictionary<string, double> { ["accuracy"] = ClassificationMetrics.Accuracy(gold, pred) };
            case MetricKind.AccuracyF1:
                return new Dictionary<string, double>
                {
                    ["accuracy"] = ClassificationMetrics.Accuracy(gold, pred),
                    ["f1"] = ClassificationMetrics.F1(gold, pred, _positiveClass),
                };
            case MetricKind.AccuracyMacroF1:
                return new Dictionary<string, double>
                {
                    ["accuracy"] = ClassificationMetrics.Accuracy(gold, pred),
                    ["macro_f1"] = ClassificationMetrics.MacroF1(gold, pred, _info.NumClasses),
                };
            case MetricKind.MultiRc:
            {
                var (em, f1a) = MultiRcMetrics.Compute(scored
                    .Select(s => new MultiRcAnswer(s.Example.Group ?? "", s.Gold == _positiveClass ? 1 : 0,
                        s.Predicted == _positiveClass ? 1 : 0))
                    .ToList());
                return new Dictionary<string, double> { ["em"] = em, ["f1a"] = f1a };
            }
            case MetricKind.Record:
            {
                var queries = scored
                    .Where(s => s.Example.GoldAnswers is not null)
                    .Select(s => (Prediction: s.Predicted >= 0 && s.Predicted < s.Example.Choices!.Count
                            ? s.Example.Choices[s.Predicted].Text
                            : "",
                        Golds: s.Example.GoldAnswers!))
                    .ToList();
                var (em, f1) = RecordMetrics.Compute(queries);
                return new Dictionary<string, double> { ["em"] = em, ["f1"] = f1 };
            }
            default:
                throw new InvalidOperationException($"unknown metric kind {_metric}");
        }
    }
}
