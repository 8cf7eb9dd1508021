using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Data.Batching;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tests.Prompts;
using DP.Runtime.Tests.T5;
using DP.Runtime.Tokenization;
using DP.Runtime.Training;
using DP.Runtime.Training.Evaluation;
using DP.Runtime.Training.Optimizers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Devices;

/// <summary>
/// Every method's training step and evaluation batch with the model and the batch on torch's <c>meta</c> device: a
/// tensor made on the CPU and mixed into the computation throws "Expected all tensors to be on the same device", and a
/// read to the host throws "Cannot copy out of meta tensor". The step is the trainer's own (<see cref="StepRunner"/>:
/// batch to the device, loss, backward with accumulation, clipping, optimizer step) with a loss gate that reads nothing
/// in place of the trainer's (the one host read a step keeps, docs/devices.md). What this cannot show: that CUDA has
/// every kernel, or how fast anything runs.
/// </summary>
public class MetaDeviceTests
{
    private static readonly Device Meta = torch.device("meta");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var backbone in new[] { "bert", "t5" })
            foreach (var method in Methods.Keys)
                data.Add(backbone, method);
        // Other paths through the same step: the masked-LM verbalizer head, other poolings, T5's linear head, a
        // second task's head, multiple choice (candidate rows grouped per example), activation checkpointing (which
        // replays the dropout generators).
        foreach (var method in new[] { "prompt", "dp-instance-position" })
            foreach (var variant in new[] { "bert-mlm-verbalizer", "bert-mean-pooling", "bert-pooler", "t5-linear-head", "bert-multitask", "bert-multiple-choice" })
                data.Add(variant, method);
        foreach (var method in new[] { "fine-tune", "dp-instance-position" })
        {
            data.Add("bert-checkpointing", method);
            data.Add("t5-checkpointing", method);
        }
        return data;
    }

    private static readonly Dictionary<string, MethodOptions> Methods = new()
    {
        ["fine-tune"] = new FineTuningOptions(),
        ["prompt"] = new PromptTuningOptions { PromptLength = 4, Init = PromptInit.Vocab },
        ["p-tuning-v2"] = new PrefixTuningOptions { PromptLength = 4 },
        ["p-tuning-v2-mlp"] = new PrefixTuningOptions { PromptLength = 4, Reparameterize = true, ReparameterizeHidden = 8 },
        ["dp-task-position"] = Dynamic(PositionPolicy.Task),
        ["dp-instance-position"] = Dynamic(PositionPolicy.Instance),
        ["dp-task-length"] = Dynamic(PositionPolicy.Prefix, LengthPolicy.Task),
        ["dp-instance-length"] = Dynamic(PositionPolicy.Prefix, LengthPolicy.Instance),
        ["dp-instance-pool"] = Dynamic(PositionPolicy.Prefix, pool: 3),
        ["dp-pool-position-length"] = Dynamic(PositionPolicy.Instance, LengthPolicy.Instance, pool: 3),
        ["dp-instance-embeddings"] = Dynamic(PositionPolicy.Instance, features: InstanceFeatures.Embeddings),
    };

    private static DynamicPromptingOptions Dynamic(PositionPolicy position, LengthPolicy length = LengthPolicy.Fixed, int pool = 0,
        InstanceFeatures features = InstanceFeatures.Encoder) => new()
    {
        PromptLength = 4, Position = position, Length = length, Pool = { Size = pool }, InstanceFeatures = features, Init = PromptInit.Random,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingStepsAndAnEvaluationBatchRunOnMeta(string backbone, string method)
    {
        using var mlm = backbone == "bert-mlm-verbalizer" ? new MaskedLmKit() : null;
        using var model = Build(backbone, Methods[method], mlm);
        var (train, evaluation) = Batches(backbone);
        Assert.All(model.Module.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));

        foreach (var optimizer in new[] { OptimizerKind.AdamW, OptimizerKind.Adafactor })
            TrainTwoSteps(model, train, optimizer);
        Assert.All(model.ParameterGroups.SelectMany(g => g.Parameters), p =>
        {
            Assert.Equal(DeviceType.META, p.device_type);
            Assert.NotNull(p.grad);
            Assert.Equal(DeviceType.META, p.grad!.device_type);
        });
        // Dropout masks and Gumbel noise drew from generators of the model's device only (a CPU generator handed to a
        // meta op would not throw here, but would on CUDA).
        if (model is IRandomStateOwner owner)
            Assert.All(owner.SaveRandomState().Keys, key => Assert.EndsWith("/meta", key));

        model.Module.eval();
        using var _ = no_grad();
        var gold = evaluation.Labels.data<long>().ToArray();
        var (_, predicted, loss) = Evaluator.ScoreBatch(model, "meta", evaluation, Meta, gold);
        Assert.Equal(DeviceType.META, predicted.device_type);
        Assert.Equal([evaluation.Size], predicted.shape);
        Assert.Equal(DeviceType.META, loss!.device_type);
    }

    /// <summary>The check itself: a CPU batch given to a model on meta fails, so a CPU tensor made by mistake would too.</summary>
    [Fact]
    public void ACpuTensorMixedIntoAMetaModelFails()
    {
        using var model = Build("bert", Methods["prompt"], null);
        var (train, _) = Batches("bert");
        var wrongDevice = train[0].To(Meta) with { AttentionMask = train[0].AttentionMask }; // the mask left on the CPU
        var e = Assert.ThrowsAny<Exception>(() => model.Loss(wrongDevice));
        Assert.Contains("same device", e.Message);
    }

    // Two optimizer steps of two accumulated micro-batches each, clipping on, through the trainer's StepRunner.
    private static void TrainTwoSteps(PromptModel model, IReadOnlyList<ModelBatch> micro, OptimizerKind kind)
    {
        var t = new TrainingOptions { Optimizer = kind, LearningRate = 0.01, ClipNorm = 1.0, GradientAccumulation = micro.Count };
        using var optimizer = OptimizerFactory.Create(model.ParameterGroups, t);
        var runner = new StepRunner(model, Meta, optimizer, model.ParameterGroups.SelectMany(g => g.Parameters).ToList(),
            t.GradientAccumulation, t.ClipNorm);
        model.Module.train();
        for (int step = 1; step <= 2; step++)
        {
            int gated = 0;
            var (_, used, examples) = runner.Run(micro, (Tensor loss, int index, out double value) =>
            {
                Assert.Equal(DeviceType.META, loss.device_type);
                Assert.Empty(loss.shape);
                Assert.True(loss.requires_grad);
                gated++;
                value = 0; // the trainer reads loss.item() here; meta has no value to read
                return true;
            });
            Assert.Equal(micro.Count, used);
            Assert.Equal(micro.Count, gated);
            Assert.Equal(micro.Sum(b => b.Size), examples);
            model.OnOptimizerStep(step);
        }
    }

    // As a run builds it: the backbone (weights on the host, as loading gives them) moved to the device, then the
    // method's parts created on the backbone's device by the factory.
    private static PromptModel Build(string backbone, MethodOptions method, MaskedLmKit? mlm) => backbone switch
    {
        "bert" => PromptTestKit.Model(method, OnMeta(PromptTestKit.Backbone())),
        "bert-checkpointing" => PromptTestKit.Model(method, OnMeta(Checkpointed(PromptTestKit.Backbone()))),
        "bert-mean-pooling" or "bert-pooler" => PromptModelFactory.Create(method,
            new HeadOptions { Kind = HeadKind.Linear, Pooling = backbone == "bert-pooler" ? Pooling.Pooler : Pooling.Mean },
            OnMeta(PromptTestKit.Backbone(parts: BertParts.Pooler)), new TaskHeadInfo(2), PromptTestKit.Special, seed: 3),
        "bert-multitask" => PromptModelFactory.Create(method, new HeadOptions(), OnMeta(PromptTestKit.Backbone()), new TaskHeadInfo(2),
            PromptTestKit.Special, seed: 3, otherTasks: [new TaskHeadInfo(3)]),
        "bert-multiple-choice" => PromptModelFactory.Create(method, new HeadOptions(), OnMeta(PromptTestKit.Backbone()),
            new TaskHeadInfo(1, MultipleChoice: true), PromptTestKit.Special, seed: 3),
        "bert-mlm-verbalizer" => PromptModelFactory.Create(method, new HeadOptions { Kind = HeadKind.Verbalizer }, OnMeta(mlm!.Load()),
            new TaskHeadInfo(2, MaskedLmKit.LabelWords), MaskedLmKit.Special, seed: 3),
        "t5" => PromptModelFactory.Create(method, new HeadOptions(), OnMeta(T5Backbone()), new TaskHeadInfo(2, [10, 11]), T5Special, seed: 3),
        "t5-linear-head" => PromptModelFactory.Create(method, new HeadOptions { Kind = HeadKind.Linear }, OnMeta(T5Backbone()),
            new TaskHeadInfo(2), T5Special, seed: 3),
        "t5-checkpointing" => PromptModelFactory.Create(method, new HeadOptions(), OnMeta(Checkpointed(T5Backbone())), new TaskHeadInfo(2, [10, 11]),
            T5Special, seed: 3),
        _ => throw new ArgumentException(backbone),
    };

    private static T Checkpointed<T>(T backbone) where T : IPromptableBackbone
    {
        backbone.GradientCheckpointing = true;
        return backbone;
    }

    private static T OnMeta<T>(T backbone) where T : IPromptableBackbone
    {
        backbone.Module.to(Meta);
        return backbone;
    }

    private static readonly SpecialTokens T5Special = new(Pad: 0, Cls: null, Sep: 1, Unk: 2, Mask: 63);

    private static T5Model T5Backbone()
    {
        using var weights = new Generator(5);
        return new T5Model(T5TestConfigs.Tiny, weights);
    }

    // Two training micro-batches and an evaluation batch, on the host as the data loaders give them.
    private static (IReadOnlyList<ModelBatch> Train, ModelBatch Evaluation) Batches(string backbone) => backbone switch
    {
        "bert-multitask" => ([PromptTestKit.TokenPresenceBatch(4, seed: 1), PromptTestKit.TokenPresenceBatch(3, seed: 2, keyOffset: EncodedExample.MakeKey(1, 0))],
            PromptTestKit.TokenPresenceBatch(5, seed: 3, keyOffset: EncodedExample.MakeKey(1, 10))),
        "bert" or "bert-checkpointing" or "bert-mean-pooling" or "bert-pooler" => ([PromptTestKit.TokenPresenceBatch(4, seed: 1), PromptTestKit.TokenPresenceBatch(3, seed: 2, keyOffset: 10)],
            PromptTestKit.TokenPresenceBatch(5, seed: 3, keyOffset: 20)),
        "bert-multiple-choice" => ([ChoiceBatch([2, 3], keyOffset: 0), ChoiceBatch([3], keyOffset: 10)], ChoiceBatch([2, 2, 3], keyOffset: 20)),
        "bert-mlm-verbalizer" => ([MaskedLmKit.Batch(4, seed: 1).Batch, MaskedLmKit.Batch(3, seed: 2).Batch], MaskedLmKit.Batch(5, seed: 3).Batch),
        "t5" or "t5-checkpointing" or "t5-linear-head" => ([T5Batch(4, seed: 1, keyOffset: 0), T5Batch(3, seed: 2, keyOffset: 10)], T5Batch(5, seed: 3, keyOffset: 20)),
        _ => throw new ArgumentException(backbone),
    };

    // Examples of 2–3 candidate rows each (one row per candidate); the right candidate alternates.
    private static ModelBatch ChoiceBatch(int[] choiceCounts, long keyOffset)
    {
        var rng = new Random((int)keyOffset + 1);
        var bodies = choiceCounts.SelectMany(c => Enumerable.Range(0, c)).Select(_ => Enumerable.Range(0, rng.Next(3, 7)).Select(_ => rng.Next(6, 40)).ToArray()).ToList();
        var labels = choiceCounts.Select((c, e) => (long)(e % c)).ToArray();
        return PromptTestKit.Batch(bodies, labels, choiceCounts.Select((_, e) => keyOffset + e).ToArray(), choiceCounts);
    }

    // Rows of 3..8 random tokens ending in </s> (1), padded with 0; labels alternate.
    private static ModelBatch T5Batch(int rows, int seed, long keyOffset)
    {
        var rng = new Random(seed);
        var encoded = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, rng.Next(3, 9)).Select(_ => rng.Next(3, 60)).Append(1).ToArray()).ToList();
        return T5TestConfigs.PaddedBatch(encoded, Enumerable.Range(0, rows).Select(r => (long)(r % 2)).ToArray(), keyOffset);
    }
}
