using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Reporting;
using DP.Runtime.Training;
using DP.Runtime.Tests.Prompts;
using DP.Runtime.Training.Checkpoints;
using Xunit;

namespace DP.Runtime.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class TrainerTests
{
    [Fact]
    public void Steps_report_the_models_own_temperature_not_a_state_entry_named_like_one()
    {
        using var h = new TrainingHarness();
        using var model = TrainingHarness.Model();
        model.ExtraState["mixing_temperature"] = 2.0; // other state that merely has "temperature" in its name
        var probe = new TemperatureProbe();
        h.Run(TrainingHarness.Options(h.Dir, t => t.MaxSteps = 3), model, observer: probe);
        Assert.Equal(new double?[] { null, null, null }, probe.Reported);
    }

    [Fact]
    public void ShortRunLearnsTheSyntheticTask()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => t.MaxSteps = 60);
        var (result, model) = h.Run(o);
        using var _ = model;
        Assert.False(result.Interrupted);
        Assert.Equal(60, result.Steps);
        Assert.NotNull(result.Validation);
        Assert.True(result.Validation!["accuracy"] >= 0.9, $"validation accuracy {result.Validation["accuracy"]}");
        Assert.Equal(result.BestValue, result.Validation["accuracy"]);
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW, LrSchedule.Constant, 1)]
    [InlineData(OptimizerKind.Adafactor, LrSchedule.Linear, 2)]
    public void InterruptedRunResumesToTheSameResult(OptimizerKind optimizer, LrSchedule schedule, int accumulation)
    {
        void Configure(TrainingOptions t)
        {
            t.Optimizer = optimizer;
            t.Schedule = schedule;
            t.WarmupSteps = 5;
            t.GradientAccumulation = accumulation;
            t.MaxSteps = 30;
            t.CheckpointEvery = 10;
            t.EvalEvery = 5;
            t.LearningRate = optimizer == OptimizerKind.Adafactor ? 0.01 : 0.05;
        }

        using var h = new TrainingHarness();
        var straight = TrainingHarness.Options(Path.Combine(h.Dir, "a"), Configure);
        var (a, modelA) = h.Run(straight, restoreBest: false);
        using var _a = modelA;

        var stopped = TrainingHarness.Options(Path.Combine(h.Dir, "b"), Configure);
        using var cts = new CancellationTokenSource();
        var (b1, modelB1) = h.Run(stopped, observer: new CancelAtStep(17, cts), token: cts.Token, restoreBest: false);
        modelB1.Dispose();
        Assert.True(b1.Interrupted);
        Assert.Equal(17, b1.Steps);
        Assert.True(Directory.Exists(Path.Combine(TrainingHarness.Latest(stopped).CheckpointsDir, "step-000017")), "the interrupt wrote a checkpoint");

        // A fresh process would start with other weights and RNG state: use a different seed to prove the checkpoint restores both.
        var (b2, modelB2) = h.Run(stopped, TrainingHarness.Model(seed: 99), resume: "auto", restoreBest: false);
        using var _b = modelB2;
        Assert.False(b2.Interrupted);
        Assert.Equal(30, b2.Steps);

        var wa = TrainingHarness.Weights(modelA);
        var wb = TrainingHarness.Weights(modelB2);
        Assert.Equal(wa.Length, wb.Length);
        for (int i = 0; i < wa.Length; i++) Assert.True(Math.Abs(wa[i] - wb[i]) <= 1e-6, $"weight {i}: {wa[i]} vs {wb[i]}");
        Assert.Equal(File.ReadAllText(TrainingHarness.Latest(straight).MetricsJsonlPath), File.ReadAllText(TrainingHarness.Latest(stopped).MetricsJsonlPath));
        Assert.Equal(a.Validation, b2.Validation);
        Assert.Equal(a.BestValue, b2.BestValue);
        Assert.Equal(a.BestStep, b2.BestStep);
    }

    [Fact]
    public void InterruptedPromptModelRunWithDropoutResumesToTheSameResult()
    {
        // A frozen tiny BERT with its config's dropout (0.1) on in training, and a task-level Gumbel position: the
        // dropout and Gumbel generators must travel in the checkpoint. The resumed model starts from another seed.
        static PromptModel Model(long seed) =>
            PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task), PromptTestKit.Backbone(seed: 3), seed: seed);
        static void Configure(TrainingOptions t)
        {
            t.MaxSteps = 12;
            t.CheckpointEvery = 4;
            t.EvalEvery = 4;
        }
        using var h = new TrainingHarness();
        var straight = TrainingHarness.Options(Path.Combine(h.Dir, "a"), Configure);
        using var a = Model(3);
        h.RunModel(straight, a);

        var stopped = TrainingHarness.Options(Path.Combine(h.Dir, "b"), Configure);
        using (var first = Model(3))
        using (var cts = new CancellationTokenSource())
            Assert.True(h.RunModel(stopped, first, observer: new CancelAtStep(6, cts), token: cts.Token).Interrupted);
        using var b = Model(99);
        var resumed = h.RunModel(stopped, b, resume: "auto");
        Assert.Equal(12, resumed.Steps);

        float[] Weights(PromptModel m) => m.ParameterGroups.SelectMany(g => g.Parameters).SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
        Assert.Equal(Weights(a), Weights(b));
        Assert.Equal(File.ReadAllText(TrainingHarness.Latest(straight).MetricsJsonlPath), File.ReadAllText(TrainingHarness.Latest(stopped).MetricsJsonlPath));
    }

    [Fact]
    public void CorruptOrMismatchedCheckpointIsAClearError()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 10; t.CheckpointEvery = 10; });
        h.Run(o).Model.Dispose();
        var folder = Path.Combine(TrainingHarness.Latest(o).CheckpointsDir, "step-000010");

        // Flip one byte of the weights: the hash check names the file.
        var weights = Path.Combine(folder, CheckpointStore.TrainableFile);
        var bytes = File.ReadAllBytes(weights);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(weights, bytes);
        var corrupt = Assert.Throws<CheckpointException>(() => h.Run(o, resume: folder));
        Assert.Contains("corrupt", corrupt.Message);
        Assert.Contains(weights, corrupt.Message);

        // Garbage state.json: the error names the file and a line (each fresh run has its own run folder).
        h.Run(o).Model.Dispose();
        folder = Path.Combine(TrainingHarness.Latest(o).CheckpointsDir, "step-000010");
        File.WriteAllText(Path.Combine(folder, CheckpointStore.StateFile), "{\n  \"Step\": 10,\n  oops\n}");
        var badJson = Assert.Throws<CheckpointException>(() => h.Run(o, resume: "auto"));
        Assert.Contains(CheckpointStore.StateFile + "(3)", badJson.Message);

        // A model of another shape: the error names the tensor and both shapes.
        h.Run(o).Model.Dispose();
        using var other = new BagClassifier(dim: 4);
        var mismatch = Assert.Throws<CheckpointException>(() => h.Run(o, other, resume: "auto"));
        Assert.True(mismatch.Message.Contains("embed.weight"), mismatch.Message);
        Assert.Contains("[20, 8]", mismatch.Message);
        Assert.Contains("[20, 4]", mismatch.Message);
    }

    [Fact]
    public void NonFiniteLossStopsNamingTheStep()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 40; t.OnNonFiniteLoss = NonFiniteLossAction.Stop; });
        using var model = TrainingHarness.Model();
        model.PoisonKey = 5; // example 5 sits in exactly one batch of each epoch
        var e = Assert.Throws<NonFiniteLossException>(() => h.Run(o, model));
        Assert.InRange(e.Step, 1, 16);
        Assert.Contains($"step {e.Step}", e.Message);
        Assert.True(double.IsNaN(e.Loss));
    }

    [Fact]
    public void NonFiniteLossSkipModeSkipsTheBatch()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 40; t.OnNonFiniteLoss = NonFiniteLossAction.Skip; });
        using var model = TrainingHarness.Model();
        model.PoisonKey = 5;
        var (result, _) = h.Run(o, model);
        Assert.Equal(40, result.Steps);
        // The 40 batches consumed: 16 per epoch; count those holding the poisoned example.
        using var source = new SyntheticBatches(h.Task, 16);
        int poisoned = Enumerable.Range(0, 40).Count(i => source.EpochBatches(i / 16)[i % 16].ExampleKeys.Contains(5L));
        Assert.Equal(poisoned, result.SkippedBatches);
        Assert.True(poisoned >= 2);
        Assert.All(TrainingHarness.Weights(model), w => Assert.True(float.IsFinite(w)));
        var log = File.ReadAllLines(TrainingHarness.Latest(o).MetricsJsonlPath);
        Assert.Equal(poisoned, log.Count(l => l.Contains("\"skipped_batches\":1")));
    }

    [Fact]
    public void StepsDoNotLeakTensors()
    {
        using var h = new TrainingHarness();
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 60; t.EvalEvery = 0; t.CheckpointEvery = 0; });
        var probe = new LiveTensorProbe(20, 60);
        h.Run(o, observer: probe).Model.Dispose();
        Assert.Equal(probe.Live[20], probe.Live[60]);
    }

    [Fact]
    public void EarlyStoppingEndsTheRunAfterPatienceEvaluations()
    {
        using var h = new TrainingHarness();
        // A learning rate far too small to change accuracy: the second and third evaluations cannot improve.
        var o = TrainingHarness.Options(h.Dir, t => { t.MaxSteps = 100; t.EvalEvery = 5; t.EarlyStoppingPatience = 2; t.LearningRate = 1e-12; t.CheckpointEvery = 0; });
        var (result, model) = h.Run(o);
        model.Dispose();
        Assert.True(result.StoppedEarly);
        Assert.Equal(15, result.Steps);
        Assert.Equal(5, result.BestStep);
        Assert.True(Directory.Exists(Path.Combine(TrainingHarness.Latest(o).CheckpointsDir, "step-000015")), "the early stop wrote a checkpoint");
    }
}
