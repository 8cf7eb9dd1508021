using DP.Runtime.Data.Batching;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Data.Evaluation;
using DP.Runtime.Data.Examples;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prediction;

/// <summary>One input's prediction: the label value and every class's probability (softmax of the scores), in class order.</summary>
public sealed record LabelPrediction(string Label, IReadOnlyList<KeyValuePair<string, double>> Probabilities)
{
    public double Probability(string label) => Probabilities.Single(p => p.Key == label).Value;
}

/// <summary>
/// A trained run, ready to label new inputs: the experiment's backbone and method with the run's best weights (or a
/// named checkpoint), built from the options alone — no training or validation file is read. Inputs are the
/// task's text fields by name; predictions come back in input order.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly Device _device;
    private readonly PromptModel _model;
    private readonly TaskDescription _task;
    private readonly int _batchSize;

    private Predictor(Device device, PromptModel model, TaskDescription task, int batchSize, RunFolder run, string weights)
    {
        (_device, _model, _task, _batchSize) = (device, model, task, batchSize);
        Run = run;
        Weights = weights;
    }

    /// <summary>The run the weights come from.</summary>
    public RunFolder Run { get; }

    /// <summary>The weights file or checkpoint folder loaded.</summary>
    public string Weights { get; }

    /// <summary>The label values, in class order.</summary>
    public IReadOnlyList<string> Labels => _task.Info.LabelNames;

    /// <summary>The text fields an input gives (the template's fields).</summary>
    public IReadOnlyList<string> Fields => _task.Definition.Fields;

    /// <summary>
    /// Loads the experiment's run <paramref name="run"/> (a run folder name such as <c>run-002</c>; default the latest):
    /// its best weights, or the checkpoint folder <paramref name="checkpoint"/>.
    /// </summary>
    public static Predictor Load(ExperimentOptions options, string? run = null, string? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (device, backbone, tokenizer) = ExperimentCli.Experiment.Prepare(options);
        var main = TaskDataLoader.Describe(options.Task, tokenizer, options.Name);
        if (main.Info.IsMultipleChoice)
            throw new NotSupportedException($"task: {main.Info.Name} is multiple choice; predicting on new inputs supports classification tasks (score a test file with 'predict' instead).");
        var others = options.Task.Multitask.Select((t, i) => TaskDataLoader.Describe(t, tokenizer, null, i + 1).Info);
        var model = ExperimentCli.Experiment.CreateModel(options, backbone, tokenizer, main.Info, others);
        try
        {
            var (folder, source) = ExperimentCli.LoadWeights(model, ExperimentFolder.For(options), run, checkpoint);
            return new Predictor(device, model, main, options.Training.EvalBatchSize, folder, source);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public LabelPrediction Predict(IReadOnlyDictionary<string, string> input) => Predict([input])[0];

    public IReadOnlyList<LabelPrediction> Predict(IEnumerable<IReadOnlyDictionary<string, string>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Predict(inputs.Select(Example).ToList());
    }

    /// <summary>Reads an input file the way the task reads its data (format, fields; labels optional).</summary>
    public IReadOnlyList<TaskExample> ReadInputs(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"input file not found: {Path.GetFullPath(path)}", path);
        return _task.Definition.Read(path);
    }

    /// <summary>Predictions for examples read by <see cref="ReadInputs"/>, in their order.</summary>
    public IReadOnlyList<LabelPrediction> Predict(IReadOnlyList<TaskExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) return [];
        var encoded = examples.Select((e, i) => _task.Encoder.Encode(e, i, DataSplit.Test)).ToList();
        var row = encoded.Select((e, i) => (e.Key, i)).ToDictionary(p => p.Key, p => p.i);
        var probabilities = new double[examples.Count][];
        using var set = new TaskEvaluationSet("predict", _task.Info, _task.Metric, examples, encoded, _batchSize, _task.Layout, _task.PositiveClass);
        var module = _model.Module;
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var _ = no_grad();
            foreach (var batch in set.Batches)
            {
                using var scope = NewDisposeScope();
                var p = nn.functional.softmax(_model.Scores(batch.To(_device)).to(ScalarType.Float32), -1).cpu();
                var values = p.data<float>().ToArray();
                var classes = (int)p.shape[1];
                for (var i = 0; i < batch.Size; i++)
                    probabilities[row[batch.ExampleKeys[i]]] = Array.ConvertAll(values[(i * classes)..((i + 1) * classes)], v => (double)v);
            }
        }
        finally
        {
            module.train(wasTraining);
        }
        return probabilities.Select(Labelled).ToList();
    }

    private LabelPrediction Labelled(double[] p)
    {
        var best = Array.IndexOf(p, p.Max());
        return new LabelPrediction(Labels[best], Labels.Select((l, i) => new KeyValuePair<string, double>(l, p[i])).ToList());
    }

    private TaskExample Example(IReadOnlyDictionary<string, string> fields, int index)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var missing = Fields.Where(f => !fields.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"input {index + 1}: missing field{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (the task reads {string.Join(", ", Fields)}).");
        return new TaskExample(new SourceLine("input", index + 1), fields);
    }

    public void Dispose() => _model.Dispose();
}
