using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Prompts.Heads;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>
/// Issue 13 item 6: P-tuning v2 classifies over BERT's pooled [CLS] output (THUDM/P-tuning-v2's
/// BertPrefixForSequenceClassification: the frozen pooler, dropout, a linear classifier) where the checkpoint has a pooler.
/// </summary>
public class PoolerHeadTests
{
    private static BertModel WithPooler(int seed = 7) => PromptTestKit.Backbone(seed, BertParts.Pooler);

    private static PromptModel Model(MethodKind kind, BertModel backbone, Pooling pooling = Pooling.Auto) =>
        PromptModelFactory.Create(PromptTestKit.Method(kind), new HeadOptions { Pooling = pooling }, backbone, new TaskHeadInfo(2), PromptTestKit.Special, 3);

    [Fact]
    public void PTuningV2ScoresAreTheClassifierOverTanhOfThePoolersDenseAtCls()
    {
        using var model = Model(MethodKind.Prefix, WithPooler());
        model.Module.eval();
        var batch = PromptTestKit.TokenPresenceBatch(5, seed: 3);
        using var _ = torch.no_grad();
        var cls = model.Backbone.Forward(model.BuildInput(batch)).LastHiddenState[.., 0];
        var state = model.state_dict();
        var pooled = torch.tanh(cls.matmul(state["backbone.pooler.dense.weight"].t()) + state["backbone.pooler.dense.bias"]);
        var expected = pooled.matmul(state["head.classifier.weight"].t()) + state["head.classifier.bias"];
        Assert.True(model.Scores(batch).allclose(expected, rtol: 1e-5, atol: 1e-6));
        // The pooler is the backbone's: frozen with it, as upstream freezes all of bert.*.
        Assert.False(model.named_parameters().Single(p => p.name == "backbone.pooler.dense.weight").parameter.requires_grad);
    }

    [Fact]
    public void AutoPoolingIsThePoolerForPTuningV2WhereThereIsOneAndTheMeanOtherwise()
    {
        using var pooler = WithPooler();
        using var plain = PromptTestKit.Backbone();
        Assert.Equal(Pooling.Pooler, PromptModelFactory.ResolvePooling(Pooling.Auto, MethodKind.Prefix, pooler));
        Assert.Equal(Pooling.Mean, PromptModelFactory.ResolvePooling(Pooling.Auto, MethodKind.Prefix, plain));
        Assert.Equal(Pooling.Mean, PromptModelFactory.ResolvePooling(Pooling.Auto, MethodKind.Prompt, pooler));
        Assert.Equal(Pooling.Mean, PromptModelFactory.ResolvePooling(Pooling.Auto, MethodKind.FineTune, pooler));
        Assert.Equal(Pooling.First, PromptModelFactory.ResolvePooling(Pooling.First, MethodKind.Prefix, pooler));
        Assert.Equal(Pooling.Mean, PromptModelFactory.ResolvePooling(Pooling.Auto, MethodKind.Prefix, new TinySeq2Seq(1))); // T5: no pooler
        Assert.Throws<ArgumentException>(() => PromptModelFactory.ResolvePooling(Pooling.Pooler, MethodKind.Prefix, new TinySeq2Seq(1)));
    }

    [Fact]
    public void AnExplicitPoolerWithoutOneIsAnErrorNamingTheSourceAndTheWeights()
    {
        using var plain = PromptTestKit.Backbone();
        plain.WeightSource = "the model folder /models/minibert";
        var e = Assert.Throws<ArgumentException>(() => Model(MethodKind.Prefix, plain, Pooling.Pooler));
        Assert.Contains("/models/minibert", e.Message);
        Assert.Contains("pooler.dense.weight", e.Message);
    }

    [Fact]
    public void ThePooledOutputIsDroppedOutInTrainingOnly()
    {
        using var backbone = WithPooler();
        using var gen = new Generator(1);
        using var head = new LinearHead(16, 2, Pooling.Pooler, gen, torch.CPU, backbone);
        var states = torch.randn(new long[] { 4, 6, 16 }, generator: gen);
        var input = new HeadInput(torch.ones(4, 6));
        var output = new BackboneOutput(states);
        head.eval();
        var eval = head.Scores(output, input);
        head.train();
        Assert.False(head.Scores(output, input).allclose(eval)); // hidden_dropout_prob 0.1 on the pooled output
        backbone.Dropout.Enabled = false; // training.dropout: false
        Assert.True(PromptTestKit.Same(head.Scores(output, input), eval));
    }

    [Fact]
    public void FineTuningWithTheMeanHeadLeavesAnUnreadPoolerFrozen()
    {
        using var model = Model(MethodKind.FineTune, WithPooler());
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.False(named["backbone.pooler.dense.weight"].requires_grad);
        Assert.True(named["backbone.embeddings.word_embeddings.weight"].requires_grad);
        using var pooled = Model(MethodKind.FineTune, WithPooler(), Pooling.Pooler);
        Assert.True(pooled.named_parameters().Single(p => p.name == "backbone.pooler.dense.weight").parameter.requires_grad);
    }
}
