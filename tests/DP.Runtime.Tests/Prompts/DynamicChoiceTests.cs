using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Choices;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

public class DynamicChoiceTests
{
    [Fact]
    public void StraightThroughGradientsReachChoicesPoolAndPromptButNotTheBackbone()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance, pool: 3));
        var batch = PromptTestKit.TokenPresenceBatch(12, seed: 4);
        model.Module.train();
        model.Loss(batch).backward();
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "position.proj.weight", "position.proj.bias", "prompt.weight", "prompt.mixer.weight", "head.classifier.weight" })
            Assert.True(named[name].grad is { } g && g.abs().sum().item<float>() > 0, $"{name} has no gradient");
        // Every one of the n+1 position outputs gets gradient (ReLU may zero a unit for some rows, not for all).
        var positionGrad = named["position.proj.weight"].grad!.abs().sum(1);
        Assert.All(PromptTestKit.Values(positionGrad), v => Assert.True(v > 0));
        // Every prompt row of every pool member gets gradient.
        var promptGrad = named["prompt.weight"].grad!.abs().sum(-1);
        Assert.All(PromptTestKit.Values(promptGrad), v => Assert.True(v > 0));
        foreach (var (name, p) in named.Where(p => p.Key.StartsWith("backbone.")))
            Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0, $"{name} received gradient");
    }

    [Fact]
    public void InstanceChoiceUnitsAreAliveAtInitialisationForEverySeed()
    {
        // With PyTorch's default bias init, seed 3 of this config starts with every ReLU unit dead (no gradient ever).
        var batch = PromptTestKit.TokenPresenceBatch(12, seed: 4);
        for (int seed = 0; seed < 8; seed++)
        {
            using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance), seed: seed);
            var logits = ((ChoiceLogits)model.named_children().Single(c => c.name == "position").module).Logits(12, model.Representation(batch));
            Assert.All(PromptTestKit.Values((logits > 0).to(ScalarType.Float32).sum(0)), alive => Assert.True(alive > 0, $"seed {seed}: a dead unit"));
        }
    }

    /// <summary>Identical rows, so that the assembled rows differ only when their sampled choices do.</summary>
    private static ModelBatch IdenticalRows(int rows) =>
        PromptTestKit.Batch(Enumerable.Repeat(new[] { 7, 9, 11, 5 }, rows).ToList(), new long[rows]);

    [Fact]
    public void TaskLevelChoicesAreDrawnOncePerBatch()
    {
        // 24 rows, 5 options each for position and length: independent draws per row would all agree with
        // probability far below 1e-10.
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task, LengthPolicy.Task));
        model.Module.train();
        var batch = IdenticalRows(24);
        for (int draw = 0; draw < 3; draw++)
        {
            var input = model.BuildInput(batch);
            Assert.True(PromptTestKit.Same(input.InputsEmbeds, input.InputsEmbeds[..1].expand_as(input.InputsEmbeds)), "rows took different task-level choices");
            Assert.True(PromptTestKit.Same(input.AttentionMask, input.AttentionMask[..1].expand_as(input.AttentionMask)));
        }
    }

    [Fact]
    public void InstanceLevelChoicesAreStillDrawnPerRow()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance));
        model.Module.train();
        var embeds = model.BuildInput(IdenticalRows(24)).InputsEmbeds;
        Assert.False(PromptTestKit.Same(embeds, embeds[..1].expand_as(embeds)), "every row drew the same instance-level split");
    }

    [Fact]
    public void TaskPositionLogitsAllReceiveGradient()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task));
        model.Module.train();
        model.Loss(PromptTestKit.TokenPresenceBatch(8, seed: 5)).backward();
        var logits = model.named_parameters().Single(p => p.name == "position.logits").parameter;
        Assert.All(PromptTestKit.Values(logits.grad!), v => Assert.NotEqual(0f, v));
    }

    [Fact]
    public void SplitZeroWithFullLengthIsPlainPromptTuningAndSplitNIsPostfix()
    {
        var backbone = PromptTestKit.Backbone();
        var batch = PromptTestKit.TokenPresenceBatch(6, seed: 3);
        using var prompt = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Prompt), backbone, seed: 4);
        using var postfix = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Postfix), backbone, seed: 4);
        using var dynamic = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task, LengthPolicy.Task), backbone, seed: 4);
        foreach (var m in new[] { prompt, postfix, dynamic }) m.Module.eval();
        var named = dynamic.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            named["position.logits"].copy_(torch.tensor(new float[] { 5, 0, 0, 0, 0 })); // j = 0
            named["length.logits"].copy_(torch.tensor(new float[] { 0, 0, 0, 0, 5 }));   // ℓ = n
        }
        var expected = prompt.BuildInput(batch);
        var actual = dynamic.BuildInput(batch);
        Assert.True(PromptTestKit.Same(expected.InputsEmbeds, actual.InputsEmbeds));
        Assert.True(PromptTestKit.Same(expected.AttentionMask, actual.AttentionMask));
        Assert.True(PromptTestKit.Same(prompt.Scores(batch), dynamic.Scores(batch)));

        using (torch.no_grad()) named["position.logits"].copy_(torch.tensor(new float[] { 0, 0, 0, 0, 5 })); // j = n
        Assert.True(PromptTestKit.Same(postfix.BuildInput(batch).InputsEmbeds, dynamic.BuildInput(batch).InputsEmbeds));
        Assert.True(PromptTestKit.Same(postfix.Scores(batch), dynamic.Scores(batch)));
    }

    [Fact]
    public void KeepMaskFollowsTheChosenLength()
    {
        var g = torch.nn.functional.one_hot(torch.tensor(new long[] { 0, 2, 4 }), 5).to(ScalarType.Float32);
        var m = KeepMask.FromLengthChoice(g);
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1 }, PromptTestKit.Values(m));
    }

    [Fact]
    public void DroppedPromptRowsChangeNothingAndTakeNoAttention()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Postfix, LengthPolicy.Task));
        var lengthLogits = model.named_parameters().Single(p => p.name == "length.logits").parameter;
        using (torch.no_grad()) lengthLogits.copy_(torch.tensor(new float[] { 0, 0, 5, 0, 0 })); // ℓ = 2 of n = 4
        model.Module.eval();
        var batch = PromptTestKit.TokenPresenceBatch(6, seed: 6);
        Assert.All(model.Choices(batch).Length, l => Assert.Equal(2, l));
        var before = model.Scores(batch);
        var input = model.BuildInput(batch);
        var lens = batch.AttentionMask.sum(1).to(ScalarType.Int64);
        for (int b = 0; b < 6; b++)
        {
            int len = (int)lens[b].item<long>();
            // Postfix: P[0..4) sits at len−1 .. len+3; rows 2 and 3 are dropped.
            Assert.Equal(new float[] { 1, 1, 0, 0, 1 }, PromptTestKit.Values(input.AttentionMask[b, (len - 1)..(len + 4)]));
            Assert.Equal(0f, input.InputsEmbeds[b, (len + 1)..(len + 3)].abs().sum().item<float>());
        }
        var prompt = (SharedPrompt)model.Source!;
        using var gen = new Generator(4);
        using (torch.no_grad()) prompt.weight[2..].add_(torch.randn([2, 16], generator: gen) * 10);
        var after = model.Scores(batch);
        Assert.True(PromptTestKit.Same(before, after));
        using (torch.no_grad()) prompt.weight[1].add_(1.0f);
        Assert.False(PromptTestKit.Same(before, model.Scores(batch)));
    }

    [Fact]
    public void LengthLogitsReceiveStraightThroughGradient()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Prefix, LengthPolicy.Task));
        model.Module.train();
        model.Loss(PromptTestKit.TokenPresenceBatch(8, seed: 7)).backward();
        var logits = model.named_parameters().Single(p => p.name == "length.logits").parameter;
        Assert.True(logits.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void PoolWeightsSumToOneAndAPoolOfOneIsTheSharedPrompt()
    {
        using var gen = new Generator(3);
        var initial = torch.randn([1, 4, 16], generator: gen);
        using var pool = new PromptPool(initial, tanh: true, gen);
        using var shared = new SharedPrompt(initial[0]);
        var u = torch.randn([5, 16], generator: gen);
        Assert.True(PromptTestKit.Same(pool.Rows(5, u), shared.Rows(5, null)));

        using var big = new PromptPool(torch.randn([4, 4, 16], generator: gen), tanh: false, gen);
        var beta = big.Weights(u);
        Assert.True(beta.sum(-1).allclose(torch.ones(5), rtol: 0, atol: 1e-6));
        Assert.True(beta.min().item<float>() > 0);
        var expected = torch.einsum("bk,knd->bnd", beta, big.weight);
        Assert.True(big.Rows(5, u).allclose(expected, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void ChoicesReportSplitAndLengthPerInstance()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance, LengthPolicy.Instance));
        var batch = PromptTestKit.TokenPresenceBatch(10, seed: 8);
        var (split, length) = model.Choices(batch);
        Assert.Equal(10, split.Length);
        Assert.All(split, s => Assert.InRange(s, 0, 4));
        Assert.All(length, l => Assert.InRange(l, 0, 4));
        // The reported split is the one the eval-mode assembler uses: the closing token lands at len − 1 + n.
        model.Module.eval();
        var input = model.BuildInput(batch);
        var lens = batch.AttentionMask.sum(1).to(ScalarType.Int64);
        var embeds = model.Backbone.EmbedTokens(batch.InputIds);
        for (int b = 0; b < 10; b++)
        {
            int len = (int)lens[b].item<long>();
            Assert.True(PromptTestKit.Same(input.InputsEmbeds[b, len - 1 + 4], embeds[b, len - 1]));
            Assert.True(PromptTestKit.Same(input.InputsEmbeds[b, 1 + 4 - split[b]], embeds[b, 1]));
        }
    }
}
