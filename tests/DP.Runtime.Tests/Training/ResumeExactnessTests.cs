using DP.Runtime.Data;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Reporting;
using DP.Runtime.Tests.Prompts;
using DP.Runtime.Training;
using DP.Runtime.Training.Progress;
using DP.Runtime.Prompts.Composition;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// Issue 15 item 5: a run interrupted and resumed ends with exactly the weights and metrics log of a run never stopped,
/// for every prompt method and instance-feature kind, on the tiny BERT with batches whose composition and padding
/// change every epoch (so an example's instance features are first computed beside other examples after a resume).
/// </summary>
[Collection(TorchRngCollection.Name)]
public class ResumeExactnessTests
{
    public static TheoryData<string, InstanceFeatures> Cases()
    {
        var data = new TheoryData<string, InstanceFeatures>();
        foreach (var method in new[] { "fine-tune", "prompt", "p-tuning-v2", "p-tuning-v2-mlp", "dp-task-position" })
            data.Add(method, InstanceFeatures.Encoder);
        foreach (var method in new[] { "dp-instance-position", "dp-instance-length", "dp-instance-pool", "dp-pool-position" })
            foreach (var features in Enum.GetValues<InstanceFeatures>())
                data.Add(method, features);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumedRunEqualsTheUninterruptedOneBitForBit(string method, InstanceFeatures features)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dp-trainer-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var task = new PresenceTask();
            var straight = Options(Path.Combine(dir, "a"));
            var (a, modelA) = Train(task, straight, method, features);
            using var _a = modelA;

            var stopped = Options(Path.Combine(dir, "b"));
            using var cts = new CancellationTokenSource();
            var (b1, modelB1) = Train(task, stopped, method, features, observer: new CancelAtStep(11, cts), token: cts.Token);
            modelB1.Dispose();
            Assert.True(b1.Interrupted);
            // A fresh model, as a new process would build it: empty instance cache.
            var (b2, modelB2) = Train(task, stopped, method, features, resume: "auto");
            using var _b = modelB2;
            Assert.Equal(24, b2.Steps);

            Assert.Equal(
                File.ReadAllText(ExperimentFolder.For(straight).LatestRun()!.MetricsJsonlPath),
                File.ReadAllText(ExperimentFolder.For(stopped).LatestRun()!.MetricsJsonlPath));
            var wa = Weights(modelA);
            var wb = Weights(modelB2);
            Assert.Equal(wa.Length, wb.Length);
            for (int i = 0; i < wa.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(wa[i]) == BitConverter.SingleToInt32Bits(wb[i]), $"{method}/{features}: weight {i}: {wa[i]:R} vs {wb[i]:R}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static ExperimentOptions Options(string dir)
    {
        var o = new ExperimentOptions { Name = "resume-exact" };
        o.Output.Dir = dir;
        o.Output.Plots = false;
        o.Output.TensorBoard = false;
        var t = o.Training;
        t.Optimizer = OptimizerKind.AdamW;
        t.LearningRate = 0.01;
        t.MaxSteps = 24;
        t.EvalEvery = 8;
        t.CheckpointEvery = 8;
        t.Seed = 5;
        t.Device = DeviceChoice.Cpu;
        return o;
    }

    private static (TrainingResult, PromptModel) Train(PresenceTask task, ExperimentOptions o, string method, InstanceFeatures features,
        string? resume = null, ITrainingObserver? observer = null, CancellationToken token = default)
    {
        var options = MethodTrainingTests.Options(method);
        if (options is DynamicPromptingOptions dynamic) dynamic.InstanceFeatures = features;
        var model = PromptTestKit.Model(options, PromptTestKit.Backbone(seed: 7), seed: 3);
        using var batches = new PresenceBatches(task);
        using var validation = new PresenceEvaluation(task);
        var (run, from) = ExperimentFolder.For(o).ForTraining(resume, null);
        var result = new Trainer(model, batches, validation, o, run, observer) { RestoreBestAtEnd = false }.Train(from, token);
        return (result, model);
    }

    private static float[] Weights(ITrainableModel model) =>
        model.ParameterGroups.SelectMany(g => g.Parameters).SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

    /// <summary>Token-presence examples (label 1 when token 5 occurs) of lengths 2 to 30, so padding varies with the batch.</summary>
    private sealed class PresenceTask
    {
        public List<(long Key, int[] Body, long Label)> Train { get; } = Make(24, seed: 1, keyOffset: 0);
        public List<(long Key, int[] Body, long Label)> Validation { get; } = Make(12, seed: 2, keyOffset: 1000);

        private static List<(long, int[], long)> Make(int count, int seed, long keyOffset)
        {
            var rng = new Random(seed);
            return Enumerable.Range(0, count).Select(i =>
            {
                var body = Enumerable.Range(0, rng.Next(2, 31)).Select(_ => rng.Next(6, PromptTestKit.Tiny.VocabSize)).ToArray();
                bool positive = i % 2 == 0;
                if (positive) body[rng.Next(body.Length)] = 5;
                return (keyOffset + i, body, positive ? 1L : 0L);
            }).ToList();
        }

        public static ModelBatch Batch(IEnumerable<(long Key, int[] Body, long Label)> examples)
        {
            var list = examples.ToList();
            return PromptTestKit.Batch(list.Select(e => e.Body).ToList(), list.Select(e => e.Label).ToArray(), list.Select(e => e.Key).ToArray());
        }
    }

    /// <summary>Batches of 4 in an order shuffled per epoch (deterministic).</summary>
    private sealed class PresenceBatches(PresenceTask task) : ITrainBatchSource, IDisposable
    {
        private readonly Dictionary<int, List<ModelBatch>> epochs = [];

        public IReadOnlyList<ModelBatch> EpochBatches(int epoch)
        {
            if (epochs.TryGetValue(epoch, out var cached)) return cached;
            var order = task.Train.ToArray();
            new Random(31 + epoch).Shuffle(order);
            return epochs[epoch] = order.Chunk(4).Select(PresenceTask.Batch).ToList();
        }

        public void Dispose()
        {
            foreach (var b in epochs.Values.SelectMany(e => e)) b.Dispose();
        }
    }

    private sealed class PresenceEvaluation(PresenceTask task) : IEvaluationSet, IDisposable
    {
        public string Name => "validation";
        public IReadOnlyList<ModelBatch> Batches { get; } = task.Validation.Chunk(5).Select(PresenceTask.Batch).ToList();
        public string PrimaryMetric => "accuracy";

        public IReadOnlyDictionary<string, double> Score(IReadOnlyDictionary<long, int> predictions) =>
            new Dictionary<string, double> { ["accuracy"] = predictions.Count(p => task.Validation.First(e => e.Key == p.Key).Label == p.Value) / (double)predictions.Count };

        public string LabelName(int index) => index == 0 ? "absent" : "present";

        public void Dispose()
        {
            foreach (var b in Batches) b.Dispose();
        }
    }
}
