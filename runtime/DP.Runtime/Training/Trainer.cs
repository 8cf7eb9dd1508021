using System.Diagnostics;
using DP.Runtime.Data;
using DP.Runtime.Experiments;
using DP.Runtime.Metrics;
using DP.Runtime.Models;
using DP.Runtime.Reporting;
using DP.Runtime.Training.Checkpoints;
using DP.Runtime.Training.Devices;
using DP.Runtime.Training.Evaluation;
using DP.Runtime.Training.Optimizers;
using DP.Runtime.Training.Progress;
using DP.Runtime.Training.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training;

/// <summary>
/// Trains an <see cref="ITrainableModel"/>: optimizer with per-group learning rates, warm-up schedule, gradient
/// accumulation and clipping, periodic evaluation with best-checkpoint keeping and early stopping, atomic
/// checkpoints that resume to the same result, and the run folder's logs, plots and reports.
/// </summary>
public sealed partial class Trainer
{
    private readonly ITrainableModel model;
    private readonly ITrainBatchSource train;
    private readonly IEvaluationSet? validation;
    private readonly ExperimentOptions options;
    private readonly RunFolder run;
    private readonly ITrainingObserver observer;

    public Trainer(ITrainableModel model, ITrainBatchSource train, IEvaluationSet? validation, ExperimentOptions options,
        RunFolder run, ITrainingObserver? observer = null)
    {
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.options = options;
        this.run = run;
        this.observer = observer ?? NullTrainingObserver.Instance;
        Validate(options.Training);
    }

    /// <summary>Load the best weights (by <see cref="TrainingOptions.BestMetric"/>) before the final report.</summary>
    public bool RestoreBestAtEnd { get; init; } = true;

    /// <summary>
    /// Multitask: the other tasks' validation sets. Each is scored whenever the main one is (logged under its own
    /// name) and again on the kept weights at the end; the best checkpoint is still chosen on the main task.
    /// </summary>
    public IReadOnlyList<IEvaluationSet> AuxiliaryValidation { get; init; } = [];

    /// <summary>
    /// The test set (<c>task.test_file</c>): scored once on the kept weights after training, never used to choose
    /// them; its metrics (when it is labelled) go to results.json as <c>test</c>, its predictions beside them.
    /// </summary>
    public IEvaluationSet? Test { get; init; }

    /// <summary>How many checkpoints to keep on disk (the newest ones).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>The device the run uses (resolved from <see cref="TrainingOptions.Device"/>).</summary>
    public Device Device { get; private set; } = CPU;

    /// <summary>
    /// Runs training. <paramref name="resumeFrom"/>: null = fresh start (the run folder must hold no earlier run's
    /// checkpoints: <see cref="ExperimentFolder.CreateRun"/> gives a new one), "auto" = the run folder's newest
    /// checkpoint if any, otherwise a checkpoint folder (or a folder holding checkpoints). Cancelling
    /// <paramref name="cancellation"/> stops after the current step with a checkpoint written.
    /// </summary>
    public TrainingResult Train(string? resumeFrom = null, CancellationToken cancellation = default)
    {
        var t = options.Training;
        var clock = Stopwatch.StartNew();
        if (t.Threads > 0) set_num_threads(t.Threads);
        Device = DeviceResolver.Resolve(t.Device);
        Determinism.Seed(t.Seed);
        MoveModel(Device);
        model.Module.train();

        using var optimizer = OptimizerFactory.Create(model.ParameterGroups, t);
        var session = Start(resumeFrom, optimizer);
        observer.OnMessage(model.ParameterSummary());
        observer.OnStart(session.State.Step, t.MaxSteps);
        while (session.State.Step < t.MaxSteps && !session.StoppedEarly)
        {
            if (cancellation.IsCancellationRequested) return Interrupted(session, clock);
            var (micro, positions) = NextMicroBatches(session);
            var step = OptimizerStep(session, micro, positions);
            ReportStep(session, step, micro.Count);
            EvaluateIfDue(session);
            CheckpointIfDue(session);
        }
        return Finish(session, clock);
    }

    // Scores the validation set (and the other tasks'), logs it, and keeps the weights when the best metric improved
    // (higher is better, the validation loss lower: MetricDirection).
    private bool EvaluateAndKeepBest(Session s)
    {
        var state = s.State;
        var bestMetric = options.Training.BestMetric;
        var eval = Evaluator.Evaluate(model, validation!, Device, progress: Progress(validation!));
        state.LastEvalStep = state.Step;
        Log(new MetricsRecord(state.Step, validation!.Name, eval.Metrics), s.Metrics, s.TensorBoard);
        foreach (var (name, set) in AuxiliaryNames().Zip(AuxiliaryValidation))
            Log(new MetricsRecord(state.Step, name, Evaluator.Evaluate(model, set, Device, progress: Progress(set)).Metrics), s.Metrics, s.TensorBoard);
        if (!eval.Metrics.TryGetValue(bestMetric, out var value))
            throw new InvalidOperationException(
                $"training.best_metric: '{bestMetric}' is not a metric of '{validation.Name}' (it reports {string.Join(", ", eval.Metrics.Keys)}).");
        bool lowerIsBetter = MetricDirection.LowerIsBetter(bestMetric);
        bool improved = state.BestValue is null || (lowerIsBetter ? value < state.BestValue : value > state.BestValue);
        if (improved)
        {
            state.BestValue = value;
            state.BestStep = state.Step;
            state.EvalsWithoutImprovement = 0;
            SaveBest(state);
        }
        else
        {
            state.EvalsWithoutImprovement++;
        }
        observer.OnEvaluation(state.Step, eval.Metrics, improved);
        return improved;
    }

    private Action<int, int> Progress(IEvaluationSet set) => (done, total) => observer.OnEvaluating(set.Name, done, total);

    private void SaveBest(CheckpointState state) => BestWeights.Save(run, model,
        new BestWeights.State(state.Step, options.Training.BestMetric, state.BestValue ?? double.NaN, new Dictionary<string, double>(model.ExtraState)));

    private IReadOnlyList<ModelBatch> EpochBatches(int epoch)
    {
        var list = train.EpochBatches(epoch);
        if (list.Count == 0) throw new InvalidOperationException($"The training data gave no batches for epoch {epoch}.");
        return list;
    }

    private void MoveModel(Device device)
    {
        var first = model.Module.parameters().FirstOrDefault();
        if (first is not null && !SameDevice(first, device)) model.Module.to(device);
        // A model that captured its parameter groups before the move would hand the optimizer stale tensors.
        foreach (var g in model.ParameterGroups)
            foreach (var p in g.Parameters)
                if (!SameDevice(p, device))
                    throw new InvalidOperationException(
                        $"Parameter group '{g.Name}' has a tensor on {p.device} but training runs on {device}: create the model on the training device.");
    }

    private static bool SameDevice(Tensor t, Device device) =>
        t.device_type == device.type && (device.index < 0 || t.device_index == device.index);

    private void Log(MetricsRecord record, MetricsLog metrics, TensorBoardLog? tensorBoard)
    {
        metrics.Add(record);
        tensorBoard?.Write(record);
    }

    /// <summary>The other tasks' set names, made unique (two custom tasks may read folders of the same name).</summary>
    private List<string> AuxiliaryNames()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { validation?.Name ?? "" };
        return AuxiliaryValidation.Select((set, i) => seen.Add(set.Name) ? set.Name : $"{set.Name} (task {i + 1})").ToList();
    }

    private TrainingResult Result(CheckpointState state, string bestMetric, bool interrupted, bool stoppedEarly,
        IReadOnlyDictionary<string, double>? validationMetrics, Stopwatch clock, string? lastCheckpoint,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? auxiliary = null,
        IReadOnlyDictionary<string, double>? test = null) => new()
    {
        Experiment = options.Name,
        Steps = state.Step,
        Epoch = state.Epoch,
        Interrupted = interrupted,
        StoppedEarly = stoppedEarly,
        BestMetric = bestMetric,
        BestValue = state.BestValue,
        BestStep = state.BestValue is null ? null : state.BestStep,
        Validation = validationMetrics,
        AuxiliaryValidation = auxiliary,
        Test = test,
        SkippedBatches = state.SkippedBatches,
        Seconds = clock.Elapsed.TotalSeconds,
        LastCheckpoint = lastCheckpoint,
        RunFolder = run.Root,
    };

    private static void Validate(TrainingOptions t)
    {
        if (t.MaxSteps < 1) throw new ArgumentException($"training.max_steps must be ≥ 1 (got {t.MaxSteps}).");
        if (t.GradientAccumulation < 1) throw new ArgumentException($"training.gradient_accumulation must be ≥ 1 (got {t.GradientAccumulation}).");
        if (t.WarmupSteps < 0) throw new ArgumentException($"training.warmup_steps must be ≥ 0 (got {t.WarmupSteps}).");
        if (t.EvalEvery < 0) throw new ArgumentException($"training.eval_every must be ≥ 0 (got {t.EvalEvery}).");
        if (t.CheckpointEvery < 0) throw new ArgumentException($"training.checkpoint_every must be ≥ 0 (got {t.CheckpointEvery}).");
        if (t.EarlyStoppingPatience < 0) throw new ArgumentException($"training.early_stopping_patience must be ≥ 0 (got {t.EarlyStoppingPatience}).");
        if (t.ClipNorm < 0 || double.IsNaN(t.ClipNorm)) throw new ArgumentException($"training.clip_norm must be ≥ 0 (got {t.ClipNorm}).");
    }
}
