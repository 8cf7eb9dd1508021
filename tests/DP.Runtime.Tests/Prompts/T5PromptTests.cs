using DP.Runtime.Backbones;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tests.T5;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>The prompt methods on the real (tiny, random) T5 backbone: T5 layout, verbalizer, deep prompts.</summary>
public class T5PromptTests
{
    /// <summary>Weights from a generator of the test's own: the same tiny T5 every run, whatever else draws from torch's.</summary>
    private static T5Model NewT5()
    {
        using var weights = new Generator(13);
        var model = new T5Model(T5TestConfigs.Tiny, weights);
        model.eval();
        return model;
    }

    private static PromptModel Create(MethodOptions method, T5Model backbone, long seed = 3) =>
        PromptModelFactory.Create(method, new HeadOptions(), backbone, new TaskHeadInfo(2, VerbalizerTests.LabelWords), VerbalizerTests.T5Special, seed);

    [Fact]
    public void PromptTuningScoresEqualTheHandBuiltT5Input()
    {
        var t5 = NewT5();
        using var model = Create(PromptTestKit.Method(MethodKind.Prompt), t5);
        model.Module.eval();
        var batch = VerbalizerTests.T5Batch(4, seed: 1);
        var scores = model.Scores(batch);
        // Hand-built: [P; x] with the mask extended by n ones (no [CLS] on T5); the decoder reads its start token and
        // <extra_id_0>, and the label words are read at the step after the sentinel.
        var prompt = model.named_parameters().Single(p => p.name == "prompt.weight").parameter.detach();
        var embeds = torch.cat([prompt.unsqueeze(0).expand(4, -1, -1), t5.EmbedTokens(batch.InputIds)], dim: 1);
        var mask = torch.cat([torch.ones(4, 4), batch.AttentionMask], dim: 1);
        var output = t5.Forward(new BackboneInput(embeds, mask, DecoderInputIds: torch.tensor(new long[] { 0, 39 }).expand(4, -1)));
        var expected = output.DecoderLogits![.., 1].index_select(1, torch.tensor(new long[] { 11, 12 }));
        Assert.True(scores.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeepPromptsFitT5HeadsAndChangeItsOutput(bool reparameterize)
    {
        var t5 = NewT5(); // d_model 16 but 3 heads × d_kv 4 = 12
        using var model = Create(new PrefixTuningOptions { PromptLength = 3, Reparameterize = reparameterize, ReparameterizeHidden = 8 }, t5);
        model.Module.eval();
        var batch = VerbalizerTests.T5Batch(4, seed: 2);
        var input = model.BuildInput(batch);
        Assert.All(input.DeepPrompt!.Keys, k => Assert.Equal(new long[] { 4, 3, 3, 4 }, k.shape));
        var prompted = model.Scores(batch);
        var plain = t5.Forward(input with { DeepPrompt = null }).DecoderLogits![.., -1].index_select(1, torch.tensor(new long[] { 11, 12 }));
        Assert.False(prompted.allclose(plain, rtol: 1e-4, atol: 1e-4));
    }

    [Theory]
    [InlineData(PositionPolicy.Instance, 0)]
    [InlineData(PositionPolicy.Task, 2)]
    public void DynamicPromptsTrainOnT5AndReloadExactly(PositionPolicy position, int pool)
    {
        var t5 = NewT5();
        var method = PromptTestKit.Method(MethodKind.Dynamic, position, pool: pool);
        using var model = Create(method, t5);
        var batch = VerbalizerTests.T5Batch(16, seed: 3, positiveEvery: 4);
        model.Module.eval();
        float before;
        using (torch.no_grad()) before = model.Loss(batch).item<float>();
        PromptTestKit.Train(model, batch, steps: 30);
        Assert.All(t5.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        model.Module.eval();
        float after;
        using (torch.no_grad()) after = model.Loss(batch).item<float>();
        Assert.True(after < before - 0.05f, $"{position}/{pool}: {before:F4} → {after:F4}");

        var path = Path.Combine(Path.GetTempPath(), $"dp-t5-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.SaveTrainable(path);
            var expected = model.Scores(batch);
            var fresh = Create(method, t5, seed: 77); // shares the frozen backbone; not disposed (it would dispose t5)
            fresh.Module.eval();
            fresh.LoadTrainable(path);
            Assert.True(PromptTestKit.Same(expected, fresh.Scores(batch)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
