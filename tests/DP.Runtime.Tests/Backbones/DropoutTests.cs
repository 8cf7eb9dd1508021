using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Tests.Prompts;
using DP.Runtime.Tests.T5;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Backbones;

/// <summary>
/// Dropout as the backbone's config says: in training mode only (frozen backbones included), at the config's rates,
/// off with training.dropout = false, with masks from the backbone's own generator; P-tuning v2's prefixes too.
/// </summary>
public class DropoutTests
{
    [Fact]
    public void DropsAtTheRateAndScalesTheRestAsNnDropout()
    {
        using var dropout = new SeededDropout(seed: 1);
        const int n = 200_000;
        const double rate = 0.1;
        var x = torch.ones(n);
        var y = dropout.Apply(x, rate, training: true);
        double dropped = y.eq(0).sum().item<long>() / (double)n;
        double standardError = Math.Sqrt(rate * (1 - rate) / n);
        Assert.InRange(dropped, rate - 4.5 * standardError, rate + 4.5 * standardError);
        Assert.True(y.masked_select(y.ne(0)).allclose(torch.full(1, 1 / (1 - rate)), rtol: 1e-6, atol: 0));
        Assert.Same(x, dropout.Apply(x, rate, training: false));
        dropout.Enabled = false;
        Assert.Same(x, dropout.Apply(x, rate, training: true));
    }

    [Fact]
    public void SameSeedSameMasksWhateverTheDefaultGenerator()
    {
        using var a = new SeededDropout(seed: 4);
        using var b = new SeededDropout(seed: 4);
        var x = torch.ones(1000);
        var first = a.Apply(x, 0.3, training: true);
        torch.rand(50); // unrelated draws from torch's default generator
        Assert.True(PromptTestKit.Same(first, b.Apply(x, 0.3, training: true)));
        Assert.False(PromptTestKit.Same(first, a.Apply(x, 0.3, training: true)));
    }

    private static T5Model FrozenT5(double rate)
    {
        using var gen = new Generator(5);
        var t5 = new T5Model(T5TestConfigs.Tiny with { VocabSize = 320, DropoutRate = rate }, gen);
        t5.Freeze();
        return t5;
    }

    private static Tensor T5Logits(T5Model t5)
    {
        using var gen = new Generator(6);
        var ids = torch.randint(3, 320, [2, 7], generator: gen);
        using var _ = torch.no_grad();
        return t5.Forward(new BackboneInput(t5.EmbedTokens(ids), torch.ones(2, 7), DecoderInputIds: torch.tensor(new long[] { 0, 9 }).expand(2, -1))).DecoderLogits!;
    }

    [Fact]
    public void FrozenT5DropsOutInTrainingModeOnlyAtItsConfigRate()
    {
        using var t5 = FrozenT5(rate: 0.1);
        t5.eval();
        var reference = T5Logits(t5);
        Assert.True(PromptTestKit.Same(reference, T5Logits(t5)), "eval mode is not deterministic");
        t5.train();
        var first = T5Logits(t5);
        Assert.False(PromptTestKit.Same(reference, first), "a frozen T5 in training mode dropped nothing");
        Assert.False(PromptTestKit.Same(first, T5Logits(t5)), "two training forwards drew the same masks");
        t5.Dropout.Enabled = false; // training.dropout = false
        Assert.True(PromptTestKit.Same(reference, T5Logits(t5)));

        using var none = FrozenT5(rate: 0);
        none.eval();
        var noneReference = T5Logits(none);
        none.train();
        Assert.True(PromptTestKit.Same(noneReference, T5Logits(none)), "dropout_rate 0 still dropped");
    }

    [Fact]
    public void ConfigRatesAreReadFromConfigJson()
    {
        var t5 = T5Config.FromJson("""{ "model_type": "t5", "dropout_rate": 0.25 }""");
        Assert.Equal(0.25, t5.DropoutRate);
        Assert.Equal(0.1, T5Config.FromJson("""{ "model_type": "t5" }""").DropoutRate); // transformers' default
        Assert.Throws<InvalidDataException>(() => T5Config.FromJson("""{ "model_type": "t5", "dropout_rate": 1.0 }"""));
        var bert = BertConfig.FromJson("""{ "hidden_dropout_prob": 0.2, "attention_probs_dropout_prob": 0.05 }""");
        Assert.Equal((0.2, 0.05), (bert.HiddenDropoutProb, bert.AttentionProbsDropoutProb));
        using var model = new BertModel(PromptTestKit.Tiny with { HiddenDropoutProb = 0.3 });
        Assert.Equal(0.3, model.HiddenDropoutRate);
    }

    [Theory]
    [InlineData(0.1, 0.0)]
    [InlineData(0.0, 0.1)]
    public void FrozenBertDropsOutHiddenStatesAndAttentionProbabilitiesInTrainingMode(double hidden, double attention)
    {
        using var bert = new BertModel(PromptTestKit.Tiny with { HiddenDropoutProb = hidden, AttentionProbsDropoutProb = attention });
        PromptTestKit.Reinitialise(bert, 3);
        bert.Freeze();
        var batch = PromptTestKit.TokenPresenceBatch(4, seed: 2);
        Tensor Run()
        {
            using var _ = torch.no_grad(); // attention dropout must act on the no-grad path too
            return bert.Forward(new BackboneInput(bert.EmbedTokens(batch.InputIds), batch.AttentionMask)).LastHiddenState;
        }
        bert.eval();
        var reference = Run();
        bert.train();
        Assert.False(PromptTestKit.Same(reference, Run()));
        bert.Dropout.Enabled = false;
        Assert.True(PromptTestKit.Same(reference, Run()));
    }

    [Fact]
    public void PTuningV2PrefixesGetADropoutMaskPerRowInTrainingOnly()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Prefix), PromptTestKit.Backbone(seed: 2));
        var batch = PromptTestKit.TokenPresenceBatch(6, seed: 1);
        model.Module.eval();
        var evalKeys = model.BuildInput(batch).DeepPrompt!.Keys[0];
        Assert.True(PromptTestKit.Same(evalKeys, evalKeys[..1].expand_as(evalKeys)));
        model.Module.train();
        var keys = model.BuildInput(batch).DeepPrompt!.Keys[0];
        Assert.False(PromptTestKit.Same(keys, keys[..1].expand_as(keys)), "rows share one prefix mask");
        var zeros = keys.eq(0).to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(zeros, 0.02, 0.25); // the tiny config's hidden_dropout_prob 0.1, on 6 × 4 × 2 × 4 × 4 values
        Assert.True(keys.masked_select(keys.ne(0)).allclose(evalKeys.expand_as(keys).masked_select(keys.ne(0)) / 0.9, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void InstanceFeaturesStayDropoutFreeWhileTraining()
    {
        var backbone = PromptTestKit.Backbone(seed: 5);
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Instance), backbone);
        var batch = PromptTestKit.TokenPresenceBatch(5, seed: 3);
        model.Module.train();
        var cachedInTraining = model.Representation(batch).clone();
        Assert.True(backbone.training, "computing the features left the backbone in eval mode");
        model.Instances!.Invalidate();
        model.Module.eval();
        Assert.True(PromptTestKit.Same(cachedInTraining, model.Representation(batch)));
    }
}
