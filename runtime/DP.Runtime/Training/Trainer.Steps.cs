using System.Diagnostics;
using DP.Runtime.Data;
using DP.Runtime.Experiments;
using DP.Runtime.Metrics;
using DP.Runtime.Models;
using DP.Runtime.Reporting;
using DP.Runtime.Training.Checkpoints;
using DP.Runtime.Training.Evaluation;
using DP.Runtime.Training.Optimizers;
using DP.Runtime.Training.Progress;
using DP.Runtime.Training.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training;

// The named steps of Train: start (or resume) a session, take one optimizer step, report it, evaluate and
// checkpoint when due, and end interrupted or finished.
public sealed partial class Trainer
{
    /// <summary>What one call of Train carries from step to step.</summary>
    private sealed class Session(OptimizerHelper optimizer, LearningRateSchedule schedule, CheckpointStore store, CheckpointState state,
        MetricsLog metrics, TensorBoardLog? tensorBoard, string? checkpointFolder, IReadOnlyList<ModelBatch> batches, StepRunner runner)
    {
        public OptimizerHelper Optimizer { get; } = optimizer;
        public LearningRateSchedule Schedule { get; } = schedule;
        public CheckpointStore Store { get; } = store;
        public CheckpointState State { get; } = state;
        public MetricsLog Metrics { get; } = metrics;
        public TensorBoardLog? TensorBoard { get; } = tensorBoard;
        public IReadOnlyList<ModelBatch> Batches { get; set; } = batches;
        /// <summary>The step's device work (its parameters for clipping gathered once).</summary>
        public StepRunner Runner { get; } = runner;
        public string? LastCheckpoint { get; set; } = checkpointFolder;
        public long LastCheckpointStep { get; set; } = checkpointFolder is null ? -1 : state.Step;
        public bool StoppedEarly { get; set; }
    }

    /// <summary>One optimizer step's outcome: summed loss of the micro-batches used, how many, their examples, the LR factor.</summary>
    private readonly record struct StepOutcome(double LossSum, int Used, int Examples, double Factor)
    {
        public double Loss => Used > 0 ? LossSum / Used : double.NaN;
    }

    // Loads the resume point before writing anything (a failed resume leaves the run folder as it was), then opens
    // the logs and writes the resolved configuration.
    private Session Start(string? resumeFrom, OptimizerHelper optimizer)
    {
        var t = options.Training;
        var store = new CheckpointStore(run.CheckpointsDir, KeepCheckpoints);
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
        var schedule = new LearningRateSchedule(t.Schedule, t.WarmupSteps, t.MaxSteps);
        var runner = new StepRunner(model, Device, optimizer, model.ParameterGroups.SelectMany(g => g.Parameters).ToList(),
            t.GradientAccumulation, t.ClipNorm);
        return new Session(optimizer, schedule, store, state, metrics, tensorBoard, checkpointFolder, EpochBatches(state.Epoch), runner);
    }

    // This step's micro-batches, picked outside any dispose scope (they belong to the batch source), moving to the
    // next epoch's order when one runs out.
    private (List<ModelBatch> Micro, List<(int Epoch, int Index)> Positions) NextMicroBatches(Session s)
    {
        var n = options.Training.GradientAccumulation;
        var micro = new List<ModelBatch>(n);
        var positions = new List<(int Epoch, int Index)>(n);
        for (int m = 0; m < n; m++)
        {
            if (s.State.BatchIndex >= s.Batches.Count)
            {
                s.State.Epoch++;
                s.State.BatchIndex = 0;
                s.Batches = EpochBatches(s.State.Epoch);
            }
            positions.Add((s.State.Epoch, s.State.BatchIndex));
            micro.Add(s.Batches[s.State.BatchIndex++]);
        }
        return (micro, positions);
    }

    // Forward and backward over the micro-batches (a non-finite loss stops or is skipped, as the options say), then
    // clipping and the optimizer step.
    private StepOutcome OptimizerStep(Session s, List<ModelBatch> micro, List<(int Epoch, int Index)> positions)
    {
        double factor = s.Schedule.Factor(s.State.Step);
        foreach (var g in s.Optimizer.ParamGroups) g.LearningRate = g.InitialLearningRate * factor;
        var (lossSum, used, examples) = s.Runner.Run(micro, (Tensor loss, int m, out double value) => AdmitLoss(s, loss, positions[m], out value));
        s.State.Step++;
        model.OnOptimizerStep(s.State.Step);
        return new StepOutcome(lossSum, used, examples, factor);
    }

    // The step's one host synchronisation: the loss's value, read before its backward, for the non-finite check
    // (a skipped batch's gradients must never join the step) and the step's logged loss (docs/devices.md).
    private bool AdmitLoss(Session s, Tensor loss, (int Epoch, int Index) position, out double value)
    {
        value = loss.item<float>();
        if (double.IsFinite(value)) return true;
        if (options.Training.OnNonFiniteLoss == NonFiniteLossAction.Stop)
            throw new NonFiniteLossException(s.State.Step + 1, position.Epoch, position.Index, value);
        s.State.SkippedBatches++;
        observer.OnMessage($"Skipped a batch with non-finite loss ({value}) at step {s.State.Step + 1} (epoch {position.Epoch}, batch {position.Index}).");
        return false;
    }

    private void ReportStep(Session s, StepOutcome step, int microBatches)
    {
        var lr = options.Training.LearningRate * step.Factor;
        var values = new Dictionary<string, double> { ["lr"] = lr };
        if (step.Used > 0) values["loss"] = step.Loss;
        if (step.Used < microBatches) values["skipped_batches"] = microBatches - step.Used;
        foreach (var (k, v) in model.ExtraState) values[k] = v;
        Log(new MetricsRecord(s.State.Step, "train", values), s.Metrics, s.TensorBoard);
        observer.OnStep(new StepReport(s.State.Step, options.Training.MaxSteps, s.State.Epoch, step.Loss, lr, model.Temperature, step.Examples));
    }

    // Every eval_every steps: evaluate, keep the best, and stop early after `patience` evaluations without improvement.
    private void EvaluateIfDue(Session s)
    {
        var t = options.Training;
        if (validation is null || t.EvalEvery <= 0 || s.State.Step % t.EvalEvery != 0) return;
        if (EvaluateAndKeepBest(s)) return;
        if (t.EarlyStoppingPatience > 0 && s.State.EvalsWithoutImprovement >= t.EarlyStoppingPatience)
        {
            s.StoppedEarly = true;
            observer.OnMessage($"Early stopping at step {s.State.Step}: {t.BestMetric} has not improved for {s.State.EvalsWithoutImprovement} evaluations (best {s.State.BestValue} at step {s.State.BestStep}).");
        }
    }

    private void CheckpointIfDue(Session s)
    {
        var every = options.Training.CheckpointEvery;
        if ((every > 0 && s.State.Step % every == 0) || s.StoppedEarly) Checkpoint(s);
    }

    private void Checkpoint(Session s)
    {
        s.State.ExtraState = new Dictionary<string, double>(model.ExtraState);
        s.LastCheckpoint = s.Store.Save(s.State, model, s.Optimizer);
        s.LastCheckpointStep = s.State.Step;
    }

    // Ctrl-C, SIGTERM, Slurm's pre-timeout signal: a checkpoint of this very step, so a resume continues exactly here.
    private TrainingResult Interrupted(Session s, Stopwatch clock)
    {
        if (s.LastCheckpointStep != s.State.Step) Checkpoint(s);
        observer.OnMessage($"Interrupted at step {s.State.Step}; checkpoint {s.LastCheckpoint}. Resume with --resume auto.");
        s.Metrics.WriteCsv();
        observer.OnEnd();
        return Result(s.State, options.Training.BestMetric, interrupted: true, stoppedEarly: false, null, clock, s.LastCheckpoint);
    }

    // The last step evaluated and checkpointed, then the kept weights reported: final metrics, predictions, prompt
    // choices, plots and results.json.
    private TrainingResult Finish(Session s, Stopwatch clock)
    {
        var bestMetric = options.Training.BestMetric;
        if (validation is not null && s.State.LastEvalStep != s.State.Step) EvaluateAndKeepBest(s);
        if (s.LastCheckpointStep != s.State.Step) Checkpoint(s);

        IReadOnlyDictionary<string, double>? final = null;
        Dictionary<string, IReadOnlyDictionary<string, double>>? auxiliary = null;
        if (validation is not null)
        {
            if (RestoreBestAtEnd && s.State.BestValue is not null && Directory.Exists(run.BestDir)) BestWeights.Load(run, model);
            var report = Evaluator.Evaluate(model, validation, Device, collectChoices: true, Progress(validation));
            final = report.Metrics;
            if (AuxiliaryValidation.Count > 0)
                auxiliary = AuxiliaryNames().Zip(AuxiliaryValidation)
                    .ToDictionary(p => p.First, p => Evaluator.Evaluate(model, p.Second, Device, progress: Progress(p.Second)).Metrics);
            if (options.Output.SavePredictions) run.WritePredictions(report, validation);
            WritePromptChoices(report);
        }
        var test = ScoreTest();
        s.Metrics.WriteCsv();
        if (options.Output.Plots)
            TrainingPlots.TrainingCurves(s.Metrics.Records, bestMetric, validation?.Name ?? "validation", run.TrainingPlotPath);
        var result = Result(s.State, bestMetric, interrupted: false, s.StoppedEarly, final, clock, s.LastCheckpoint, auxiliary, test);
        run.WriteResults(result);
        observer.OnEnd();
        return result;
    }

    // The test set, once, on the kept weights (never used to choose them); an unlabelled test file has no metrics.
    private IReadOnlyDictionary<string, double>? ScoreTest()
    {
        if (Test is null) return null;
        var scored = Evaluator.Evaluate(model, Test, Device, progress: Progress(Test));
        if (options.Output.SavePredictions) run.WritePredictions(scored, Test);
        return scored.Metrics.Count > 0 ? scored.Metrics : null;
    }

    // Only what the method chooses: fine-tuning, prompt tuning and fixed policies have no choices to show.
    private void WritePromptChoices(EvaluationResult report)
    {
        if (model is not IPromptChoiceReporter reporter || !(reporter.ChoosesSplit || reporter.ChoosesLength)) return;
        var choices = PromptChoiceReport.From(validation!.Name, report.SplitChoices, report.LengthChoices);
        choices.Write(run.PromptChoicesPath,
            options.Output.Plots && reporter.ChoosesSplit ? run.PromptSplitPlotPath : null,
            options.Output.Plots && reporter.ChoosesLength ? run.PromptLengthPlotPath : null, reporter.MaxChoice);
    }
}
