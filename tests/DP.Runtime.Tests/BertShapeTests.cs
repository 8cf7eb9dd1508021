using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests;

public class BertShapeTests
{
    private static readonly BertConfig Tiny = new()
    {
        VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 64,
    };

    [Fact]
    public void ParameterNamesAreHuggingFaceNames()
    {
        using var model = new BertModel(Tiny);
        var names = model.state_dict().Keys.ToHashSet();
        Assert.Contains("embeddings.word_embeddings.weight", names);
        Assert.Contains("embeddings.LayerNorm.weight", names);
        Assert.Contains("encoder.layer.1.attention.self.query.bias", names);
        Assert.Contains("encoder.layer.0.attention.output.LayerNorm.bias", names);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight", names);
        Assert.Contains("encoder.layer.1.output.dense.weight", names);
    }

    [Fact]
    public void PaddingDoesNotChangeRealTokens()
    {
        using var model = new BertModel(Tiny);
        Prompts.PromptTestKit.Reinitialise(model, seed: 1); // a generator of its own, not the default one tests share
        model.eval();
        var ids = torch.tensor(new long[] { 1, 5, 7, 9, 2 }).unsqueeze(0);
        var padded = torch.tensor(new long[] { 1, 5, 7, 9, 2, 0, 0 }).unsqueeze(0);
        var a = model.Forward(new BackboneInput(model.EmbedTokens(ids), torch.ones(1, 5))).LastHiddenState;
        var b = model.Forward(new BackboneInput(model.EmbedTokens(padded), torch.tensor(new float[] { 1, 1, 1, 1, 1, 0, 0 }).unsqueeze(0))).LastHiddenState;
        Assert.True(a.allclose(b[.., ..5], rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void TrainingAttentionPathEqualsInferenceKernel()
    {
        // Training (grad enabled) uses explicit attention products, inference the fused kernel: same numbers.
        using var model = new BertModel(Tiny);
        model.eval();
        var ids = torch.tensor(new long[] { 1, 5, 7, 9, 2, 3, 4, 0 }, new long[] { 2, 4 });
        var mask = torch.tensor(new float[] { 1, 1, 1, 1, 1, 1, 1, 0 }, new long[] { 2, 4 });
        var embeds = model.EmbedTokens(ids).detach().requires_grad_(true);
        var training = model.Forward(new BackboneInput(embeds, mask)).LastHiddenState;
        Tensor inference;
        using (torch.no_grad()) inference = model.Forward(new BackboneInput(embeds, mask)).LastHiddenState;
        Assert.True(training.detach().allclose(inference, rtol: 1e-5, atol: 1e-5));
    }
}
