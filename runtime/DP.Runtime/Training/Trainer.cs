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
public sealed class Trainer
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
        var schedule = new LearningRateSchedule(t.Schedule, t.WarmupSteps, t.MaxSteps);
        var store = new CheckpointStore(run.CheckpointsDir, KeepCheckpoints);

        // Load the resume point before writing anything: a failed resume leaves the run folder as it was.
        var state = new CheckpointState { Optimizer = optimizer.GetType().Name };
        string? checkpointFolder = resumeFrom switch
        {
            null => null,
            "auto" => store.Latest(),
            _ => CheckpointStore.Resolve(resumeFrom),
        };
        if (checkpointFolder is not null)
        {
            state = CheckpointStore.Load(checkpointFolder, model, optimizer);
            foreach (var (k, v) in state.ExtraState) model.ExtraState[k] = v;
        }
        else if (store.Latest() is not null || Directory.Exists(run.BestDir))
        {
            throw new InvalidOperationException(
                $"{run.Root} already holds a run's checkpoints or best weights: resume it, or start a fresh run in a new run folder.");
        }

        CheckpointStore.RemoveAbandonedTemporaries(run.CheckpointsDir);
        var metrics = new MetricsLog(run.MetricsJsonlPath, run.MetricsCsvPath);
        if (checkpointFolder is not null)
        {
            metrics.TruncateAfter(state.Step);
            observer.OnMessage($"Resumed from {checkpointFolder} at step {state.Step} (epoch {state.Epoch}, batch {state.BatchIndex}).");
        }
        else
        {
            if (resumeFrom == "auto") observer.OnMessage("No checkpoint to resume from; starting a fresh run.");
            metrics.Reset();
        }
        var tensorBoard = options.Output.TensorBoard ? new TensorBoardLog(run.TensorBoardDir) : null;
        run.WriteConfig(options);

        var trainable = model.ParameterGroups.SelectMany(g => g.Parameters).ToList();
        var bestMetric = t.BestMetric;
        bool lowerIsBetter = MetricDirection.LowerIsBetter(bestMetric);
        bool interrupted = false, stoppedEarly = false;
        long lastCheckpointStep = checkpointFolder is null ? -1 : state.Step;
        string? lastCheckpoint = checkpointFolder;
        var batches = EpochBatches(state.Epoch);

        observer.OnMessage(model.ParameterSummary());
        observer.OnStart(state.Step, t.MaxSteps);
        while (state.Step < t.MaxSteps)
        {
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }

            // Pick this step's micro-batches outside the dispose scope: they belong to the batch source.
            var micro = new List<ModelBatch>(t.GradientAccumulation);
            var positions = new List<(int Epoch, int Index)>(t.GradientAccumulation);
            for (int m = 0; m < t.GradientAccumulation; m++)
            {
                if (state.BatchIndex >= batches.Count)
                {
                    state.Epoch++;
                    state.BatchIndex = 0;
                    batches = EpochBatches(state.Epoch);
                }
                positions.Add((state.Epoch, state.BatchIndex));
                micro.Add(batches[state.BatchIndex++]);
            }

            double factor = schedule.Factor(state.Step);
            foreach (var g in optimizer.ParamGroups) g.LearningRate = g.InitialLearningRate * factor;
            double lossSum = 0;
            int used = 0, examples = 0;
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                for (int m = 0; m < micro.Count; m++)
                {
                    var batch = micro[m].To(Device);
                    examples += batch.Size;
                    var loss = model.Loss(batch);
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                    {
                        if (t.OnNonFiniteLoss == NonFiniteLossAction.Stop)
                            throw new NonFiniteLossException(state.Step + 1, positions[m].Epoch, positions[m].Index, value);
                        state.SkippedBatches++;
                        observer.OnMessage($"Skipped a batch with non-finite loss ({value}) at step {state.Step + 1} (epoch {positions[m].Epoch}, batch {positions[m].Index}).");
                        continue;
                    }
                    (t.GradientAccumulation == 1 ? loss : loss / t.GradientAccumulation).backward();
                    lossSum += value;
                    used++;
                }
                if (used > 0)
                {
                    if (t.ClipNorm > 0) nn.utils.clip_grad_norm_(trainable, t.ClipNorm);
                    optimizer.step();
                }
            }
            state.Step++;
            model.OnOptimizerStep(state.Step);

            var values = new Dictionary<string, double> { ["lr"] = t.LearningRate * factor };
            if (used > 0) values["loss"] = lossSum / used;
            if (used < micro.Count) values["skipped_batches"] = micro.Count - used;
            foreach (var (k, v) in model.ExtraState) values[k] = v;
            Log(new MetricsRecord(state.Step, "train", values), metrics, tensorBoard);
            observer.OnStep(new StepReport(state.Step, t.MaxSteps, state.Epoch, used > 0 ? lossSum / used : double.NaN,
                t.LearningRate * factor, Temperature(), examples));

            if (validation is not null && t.EvalEvery > 0 && state.Step % t.EvalEvery == 0)
            {
                if (EvaluateAndKeepBest(state, bestMetric, lowerIsBetter, metrics, tensorBoard)) { }
                else if (t.EarlyStoppingPatience > 0 && state.EvalsWithoutImprovement >= t.EarlyStoppingPatience)
                {
                    stoppedEarly = true;
                    observer.OnMessage($"Early stopping at step {state.Step}: {bestMetric} has not improved for {state.EvalsWithoutImprovement} evaluations (best {state.BestValue} at step {state.BestStep}).");
                }
            }
            if ((t.CheckpointEvery > 0 && state.Step % t.CheckpointEvery == 0) || stoppedEarly)
            {
                lastCheckpoint = SaveCheckpoint(store, state, optimizer);
                lastCheckpointStep = state.Step;
            }
            if (stoppedEarly) break;
        }

        if (interrupted)
        {
            if (lastCheckpointStep != state.Step) lastCheckpoint = SaveCheckpoint(store, state, optimizer);
            observer.OnMessage($"Interrupted at step {state.Step}; checkpoint {lastCheckpoint}. Resume with --resume auto.");
            metrics.WriteCsv();
            observer.OnEnd();
            return Result(state, bestMetric, interrupted: true, stoppedEarly: false, null, clock, lastCheckpoint);
        }

        // Finished: make sure the last step was evaluated and checkpointed, then report on the kept weights.
        if (validation is not null && state.LastEvalStep != state.Step)
            EvaluateAndKeepBest(state, bestMetric, lowerIsBetter, metrics, tensorBoard);
        if (lastCheckpointStep != state.Step) lastCheckpoint = SaveCheckpoint(store, state, optimizer);

        IReadOnlyDictionary<string, double>? final = null;
        Dictionary<string, IReadOnlyDictionary<string, double>>? auxiliary = null;
        if (validation is not null)
        {
            if (RestoreBestAtEnd && state.BestValue is not null && Directory.Exists(run.BestDir)) BestWeights.Load(run, model);
            var report = Evaluator.Evaluate(model, validation, Device, collectChoices: true, Progress(validation));
            final = report.Metrics;
            if (AuxiliaryValidation.Count > 0)
                auxiliary = AuxiliaryNames().Zip(AuxiliaryValidation)
                    .ToDictionary(p => p.First, p => Evaluator.Evaluate(model, p.Second, Device, progress: Progress(p.Second)).Metrics);
            if (options.Output.SavePredictions) run.WritePredictions(report, validation);
            // Only what the method chooses: fine-tuning, prompt tuning and fixed policies have no choices to show.
            if (model is IPromptChoiceReporter reporter && (reporter.ChoosesSplit || reporter.ChoosesLength))
            {
                var choices = PromptChoiceReport.From(validation.Name, report.SplitChoices, report.LengthChoices);
                choices.Write(run.PromptChoicesPath,
                    options.Output.Plots && reporter.ChoosesSplit ? run.PromptSplitPlotPath : null,
                    options.Output.Plots && reporter.ChoosesLength ? run.PromptLengthPlotPath : null, reporter.MaxChoice);
            }
        }
        IReadOnlyDictionary<string, double>? testMetrics = null;
        if (Test is not null)
        {
            var scored = Evaluator.Evaluate(model, Test, Device, progress: Progress(Test));
            if (options.Output.SavePredictions) run.WritePredictions(scored, Test);
            testMetrics = scored.Metrics.Count > 0 ? scored.Metrics : null; // an unlabelled test file has none
        }
        metrics.WriteCsv();
        if (options.Output.Plots)
            TrainingPlots.TrainingCurves(metrics.Records, bestMetric, validation?.Name ?? "validation", run.TrainingPlotPath);
        var result = Result(state, bestMetric, interrupted: false, stoppedEarly, final, clock, lastCheckpoint, auxiliary, testMetrics);
        run.WriteResults(result);
        observer.OnEnd();
        return result;
    }

    private bool EvaluateAndKeepBest(CheckpointState state, string bestMetric, bool lowerIsBetter, MetricsLog metrics, TensorBoardLog? tensorBoard)
    {
        var eval = Evaluator.Evaluate(model, validation!, Device, progress: Progress(validation!));
        state.LastEvalStep = state.Step;
        Log(new MetricsRecord(state.Step, validation!.Name, eval.Metrics), metrics, tensorBoard);
        foreach (var (name, set) in AuxiliaryNames().Zip(AuxiliaryValidation))
            Log(new MetricsRecord(state.Step, name, Evaluator.Evaluate(model, set, Device, progress: Progress(set)).Metrics), metrics, tensorBoard);
        if (!eval.Metrics.TryGetValue(bestMetric, out var value))
            throw new InvalidOperationException(
                $"training.best_metric: '{bestMetric}' is not a metric of '{validation.Name}' (it reports {string.Join(", ", eval.Metrics.Keys)}).");
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

    private string SaveCheckpoint(CheckpointStore store, CheckpointState state, OptimizerHelper optimizer)
    {
        state.ExtraState = new Dictionary<string, double>(model.ExtraState);
        return store.Save(state, model, optimizer);
    }

    private IReadOnlyList<ModelBatch> EpochBatches(int epoch)
    {
        var list = train.EpochBatches(epoch);
        if (list.Count == 0) throw new InvalidOperationException($"The training data gave no batches for epoch {epoch}.");
        return list;
    }

    // The Gumbel temperature, whatever the model calls it (e.g. "gumbel_temperature").
    private double? Temperature()
    {
        foreach (var (k, v) in model.ExtraState)
            if (k.Contains("temperature", StringComparison.OrdinalIgnoreCase)) return v;
        return null;
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
