using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Reporting;
using DP.Runtime.Training;
using DP.Runtime.Training.Progress;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

/// <summary>Builds a small experiment in a temporary folder and runs the trainer on the synthetic task.</summary>
internal sealed class TrainingHarness : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "dp-trainer-tests", Guid.NewGuid().ToString("N"));
    public SyntheticTask Task { get; } = new();

    public static ExperimentOptions Options(string dir, Action<TrainingOptions>? configure = null)
    {
        var o = new ExperimentOptions { Name = "synthetic" };
        o.Output.Dir = dir;
        var t = o.Training;
        t.Optimizer = OptimizerKind.AdamW;
        t.LearningRate = 0.05;
        t.MaxSteps = 40;
        t.BatchSize = 16;
        t.EvalEvery = 10;
        t.CheckpointEvery = 10;
        t.Seed = 11;
        t.Device = DeviceChoice.Cpu;
        t.ClipNorm = 1.0;
        configure?.Invoke(t);
        return o;
    }

    /// <summary>A model with weights drawn from <paramref name="seed"/> (so two runs start equal).</summary>
    public static BagClassifier Model(long seed = 3)
    {
        random.manual_seed(seed);
        return new BagClassifier();
    }

    public (TrainingResult Result, BagClassifier Model) Run(ExperimentOptions o, BagClassifier? model = null, string? resume = null,
        ITrainingObserver? observer = null, CancellationToken token = default, bool restoreBest = true)
    {
        model ??= Model();
        return (RunModel(o, model, resume, observer, token, restoreBest), model);
    }

    /// <summary>Trains any model on the synthetic task (token ids below 20).</summary>
    public TrainingResult RunModel(ExperimentOptions o, ITrainableModel model, string? resume = null,
        ITrainingObserver? observer = null, CancellationToken token = default, bool restoreBest = false)
    {
        using var batches = new SyntheticBatches(Task, o.Training.BatchSize);
        using var validation = new SyntheticEvaluation(Task);
        // As the command line does: a fresh run gets a new run folder, a resume continues the latest one.
        var (run, from) = ExperimentFolder.For(o).ForTraining(resume, null);
        var trainer = new Trainer(model, batches, validation, o, run, observer) { RestoreBestAtEnd = restoreBest };
        return trainer.Train(from, token);
    }

    /// <summary>The experiment's latest run folder.</summary>
    public static RunFolder Latest(ExperimentOptions o) => ExperimentFolder.For(o).LatestRun() ?? throw new InvalidOperationException("no run yet");

    public static float[] Weights(BagClassifier model) =>
        model.ParameterGroups.SelectMany(g => g.Parameters).SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Cancels the run (the path Ctrl-C takes) once a given step is done.</summary>
internal sealed class CancelAtStep(long step, CancellationTokenSource cts) : ITrainingObserver
{
    public void OnStep(StepReport report)
    {
        if (report.Step == step) cts.Cancel();
    }
}

/// <summary>Records live tensor counts after given steps.</summary>
internal sealed class LiveTensorProbe(params long[] steps) : ITrainingObserver
{
    public Dictionary<long, long> Live { get; } = [];

    public void OnStep(StepReport report)
    {
        if (steps.Contains(report.Step)) Live[report.Step] = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    }
}

/// <summary>Records the temperature each step reports.</summary>
internal sealed class TemperatureProbe : ITrainingObserver
{
    public List<double?> Reported { get; } = [];

    public void OnStep(StepReport report) => Reported.Add(report.Temperature);
}
