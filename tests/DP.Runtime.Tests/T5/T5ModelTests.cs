using DP.Runtime.Backbones;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Tests.Prompts;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

public class T5ModelTests
{
    private static T5Model NewModel(T5Config? config = null, int seed = 7)
    {
        using var weights = new Generator((ulong)seed);
        var model = new T5Model(config ?? T5TestConfigs.Tiny, weights);
        model.eval();
        return model;
    }

    private static Tensor Ids(params long[][] rows) => torch.tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    private static Tensor Mask(params float[][] rows) => torch.tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length);

    [Fact]
    public void ParameterNamesAreHuggingFaceT5Names()
    {
        using var model = NewModel();
        var names = model.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "shared.weight", "lm_head.weight", "encoder.final_layer_norm.weight", "decoder.final_layer_norm.weight",
            "encoder.block.0.layer.0.SelfAttention.q.weight", "encoder.block.0.layer.0.SelfAttention.o.weight",
            "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", "encoder.block.0.layer.0.layer_norm.weight",
            "encoder.block.1.layer.1.DenseReluDense.wi_0.weight", "encoder.block.1.layer.1.DenseReluDense.wi_1.weight",
            "encoder.block.1.layer.1.DenseReluDense.wo.weight", "encoder.block.1.layer.1.layer_norm.weight",
            "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
            "decoder.block.2.layer.1.EncDecAttention.k.weight", "decoder.block.2.layer.1.layer_norm.weight",
            "decoder.block.2.layer.2.DenseReluDense.wo.weight",
        ];
        foreach (var name in expected) Assert.Contains(name, names);
        Assert.DoesNotContain("encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight", names);
        Assert.DoesNotContain("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight", names);
        Assert.DoesNotContain(names, n => n.EndsWith(".bias", StringComparison.Ordinal));
        // Exact count: shared + head + 2 final norms; encoder block: 4 attn + norm + 3 ffn + norm; decoder block adds
        // 4 cross-attn + norm; block 0 of each stack adds the bias table.
        Assert.Equal(4 + 2 * 9 + 3 * 14 + 2, names.Count);
    }

    [Fact]
    public void TiedOriginalT5HasNoHeadAndPlainReluFeedForward()
    {
        using var model = NewModel(T5TestConfigs.TinyTied);
        var names = model.state_dict().Keys.ToHashSet();
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Contains("encoder.block.0.layer.1.DenseReluDense.wi.weight", names);
        Assert.DoesNotContain("encoder.block.0.layer.1.DenseReluDense.wi_0.weight", names);
    }

    [Fact]
    public void ForwardShapesAndFloat32Outputs()
    {
        using var model = NewModel();
        var ids = Ids([5, 6, 7, 1], [8, 9, 1, 0]);
        var output = model.Forward(new BackboneInput(model.EmbedTokens(ids), Mask([1, 1, 1, 1], [1, 1, 1, 0]),
            DecoderInputIds: Ids([0, 11, 12], [0, 13, 14])));
        Assert.Equal(new long[] { 2, 4, 16 }, output.LastHiddenState.shape);
        Assert.Equal(new long[] { 2, 3, 16 }, output.DecoderHiddenState!.shape);
        Assert.Equal(new long[] { 2, 3, 64 }, output.DecoderLogits!.shape);
        Assert.Equal(ScalarType.Float32, output.DecoderLogits.dtype);
        Assert.True(output.DecoderLogits.isfinite().all().item<bool>());

        var encoderOnly = model.Forward(new BackboneInput(model.EmbedTokens(ids), Mask([1, 1, 1, 1], [1, 1, 1, 0])));
        Assert.Null(encoderOnly.DecoderLogits);
        Assert.True(encoderOnly.LastHiddenState.allclose(output.LastHiddenState));
    }

    [Fact]
    public void EncoderPaddingDoesNotChangeRealTokensOrDecoder()
    {
        using var model = NewModel();
        var decoderIds = Ids([0, 11, 12]);
        var shortOut = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 6, 7, 1])), Mask([1, 1, 1, 1]), DecoderInputIds: decoderIds));
        var paddedOut = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 6, 7, 1, 0, 0, 0])), Mask([1, 1, 1, 1, 0, 0, 0]),
            DecoderInputIds: decoderIds));
        Assert.True(shortOut.LastHiddenState.allclose(paddedOut.LastHiddenState[.., ..4], rtol: 1e-5, atol: 1e-5));
        Assert.True(shortOut.DecoderLogits!.allclose(paddedOut.DecoderLogits!, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void MaskedTokensAreIgnoredEvenWhenTheyAreNotTrailing()
    {
        // A masked row in the middle must not influence the others, but positions still count it (bias is relative).
        using var model = NewModel();
        var a = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 6, 7, 1])), Mask([1, 0, 1, 1]))).LastHiddenState;
        var b = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 30, 7, 1])), Mask([1, 0, 1, 1]))).LastHiddenState;
        Assert.True(a[.., 0].allclose(b[.., 0], rtol: 1e-5, atol: 1e-5));
        Assert.True(a[.., 2..].allclose(b[.., 2..], rtol: 1e-5, atol: 1e-5));
        var unmasked = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 30, 7, 1])), Mask([1, 1, 1, 1]))).LastHiddenState;
        Assert.False(unmasked[.., 0].allclose(b[.., 0], rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void DecoderIsCausal()
    {
        using var model = NewModel();
        var embeds = model.EmbedTokens(Ids([5, 6, 7, 1]));
        var a = model.Forward(new BackboneInput(embeds, Mask([1, 1, 1, 1]), DecoderInputIds: Ids([0, 11, 12, 13]))).DecoderLogits!;
        var b = model.Forward(new BackboneInput(embeds, Mask([1, 1, 1, 1]), DecoderInputIds: Ids([0, 11, 40, 41]))).DecoderLogits!;
        Assert.True(a[.., ..2].allclose(b[.., ..2], rtol: 1e-5, atol: 1e-5));
        Assert.False(a[.., 2].allclose(b[.., 2], rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void DeepPromptPrefixesAttendOnlyWhereTheirMaskIsOne()
    {
        using var model = NewModel();
        var c = T5TestConfigs.Tiny;
        var embeds = model.EmbedTokens(Ids([5, 6, 7, 1]));
        var mask = Mask([1, 1, 1, 1]);
        var plain = model.Forward(new BackboneInput(embeds, mask)).LastHiddenState;
        using var gen = new Generator(3);
        var keys = Enumerable.Range(0, c.NumLayers).Select(_ => torch.randn([1, c.NumHeads, 2, c.DKv], generator: gen)).ToList();
        var values = Enumerable.Range(0, c.NumLayers).Select(_ => torch.randn([1, c.NumHeads, 2, c.DKv], generator: gen)).ToList();
        var hidden = model.Forward(new BackboneInput(embeds, mask, DeepPrompt: new DeepPrompt(keys, values, torch.zeros(1, 2)))).LastHiddenState;
        Assert.True(plain.allclose(hidden, rtol: 1e-5, atol: 1e-5));
        var attended = model.Forward(new BackboneInput(embeds, mask, DeepPrompt: new DeepPrompt(keys, values, torch.ones(1, 2)))).LastHiddenState;
        Assert.False(plain.allclose(attended, rtol: 1e-3, atol: 1e-3));

        var wrongCount = new DeepPrompt(keys.Take(1).ToList(), values.Take(1).ToList(), torch.ones(1, 2));
        var error = Assert.Throws<ArgumentException>(() => model.Forward(new BackboneInput(embeds, mask, DeepPrompt: wrongCount)));
        Assert.Contains("one key and one value prefix per encoder layer (2)", error.Message);
    }

    [Fact]
    public void AfterFreezeBackwardLeavesEveryBackboneGradEmpty()
    {
        using var model = NewModel();
        model.Freeze();
        // A soft prompt in front of the input: the only trainable tensor, as in prompt tuning.
        using var gen = new Generator(4);
        var prompt = torch.randn([1, 2, 16], generator: gen).requires_grad_(true);
        var embeds = torch.cat([prompt, model.EmbedTokens(Ids([5, 6, 7, 1]))], dim: 1);
        var output = model.Forward(new BackboneInput(embeds, torch.ones(1, 6), DecoderInputIds: Ids([0, 3])));
        var loss = nn.functional.cross_entropy(output.DecoderLogits!.reshape(-1, 64), torch.tensor(new long[] { 3, 1 }));
        loss.backward();
        Assert.NotNull(prompt.grad);
        Assert.True(prompt.grad!.abs().sum().item<float>() > 0);
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.False(p.requires_grad, name);
            Assert.True(p.grad is null || p.grad.IsInvalid, $"{name} got a gradient");
        }
    }

    [Fact]
    public void UnfrozenBackboneReceivesGradients()
    {
        using var model = NewModel();
        var output = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 6, 7, 1])), torch.ones(1, 4), DecoderInputIds: Ids([0, 3])));
        output.DecoderLogits!.sum().backward();
        Assert.NotNull(model.encoder.block[0].SelfAttentionLayer.SelfAttention.relative_attention_bias!.weight!.grad);
        Assert.NotNull(model.lm_head!.weight.grad);
    }

    [Fact]
    public void LayerNormIsRmsNormWithoutMeanSubtraction()
    {
        using var norm = new T5LayerNorm(4, 1e-6, "layer_norm");
        using (torch.no_grad()) norm.weight.copy_(torch.tensor(new[] { 1f, 2f, 0.5f, 1f }));
        using var x = torch.tensor(new[] { 1f, 2f, 3f, 4f }).unsqueeze(0);
        using var y = norm.forward(x);
        // rms = sqrt((1 + 4 + 9 + 16) / 4) = sqrt(7.5)
        var rms = Math.Sqrt(7.5 + 1e-6);
        float[] expected = [(float)(1 / rms), (float)(2 * 2 / rms), (float)(0.5 * 3 / rms), (float)(4 / rms)];
        Assert.Equal(expected, y[0].data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void BFloat16RmsNormTakesTheVarianceInFloat32()
    {
        // bfloat16 weights and input: the mean square must be taken in float32 (as transformers' T5LayerNorm) and only
        // the normalised values rounded to bfloat16. A variance computed in bfloat16 moves the scale by up to 2^-9 and
        // changes many outputs by a bfloat16 step; the control below checks that this input shows it.
        using var gen = new Generator(4);
        var x = (torch.randn([256, 64], generator: gen) * 3).to(ScalarType.BFloat16);
        using var norm = new T5LayerNorm(64, 1e-6, "layer_norm");
        using (torch.no_grad()) norm.weight.copy_(torch.rand([64], generator: gen) + 0.5);
        norm.to(ScalarType.BFloat16);
        var actual = norm.forward(x);
        Assert.Equal(ScalarType.BFloat16, actual.dtype);

        var x32 = x.to(ScalarType.Float32);
        var expected = norm.weight * (x32 * torch.rsqrt(x32.square().mean([-1], keepdim: true) + 1e-6)).to(ScalarType.BFloat16);
        Assert.True(PromptTestKit.Same(expected, actual), "RMSNorm in bfloat16 differs from the float32-variance result");

        var bf16Variance = norm.weight * (x * torch.rsqrt(x.square().mean([-1], keepdim: true) + 1e-6));
        double changed = bf16Variance.ne(expected).to(ScalarType.Float32).mean().item<float>();
        Assert.True(changed > 0.01, $"control: a bfloat16 variance changes only {changed:P2} of the outputs on this input");
    }

    [Fact]
    public void TiedHeadScalesByInverseSqrtOfModelWidth()
    {
        using var model = NewModel(T5TestConfigs.TinyTied);
        var output = model.Forward(new BackboneInput(model.EmbedTokens(Ids([5, 6, 1])), torch.ones(1, 3), DecoderInputIds: Ids([0, 9])));
        var expected = torch.matmul(output.DecoderHiddenState! * Math.Pow(16, -0.5), model.shared.weight!.t());
        Assert.True(expected.allclose(output.DecoderLogits!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void BFloat16ComputeStaysCloseToFloat32AndReturnsFloat32()
    {
        using var model = NewModel();
        var ids = Ids([5, 6, 7, 1]);
        var decoderIds = Ids([0, 11, 12]);
        var reference = model.Forward(new BackboneInput(model.EmbedTokens(ids), torch.ones(1, 4), DecoderInputIds: decoderIds)).DecoderLogits!;
        model.SetComputeDType(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, model.shared.weight!.dtype);
        var low = model.Forward(new BackboneInput(model.EmbedTokens(ids), torch.ones(1, 4), DecoderInputIds: decoderIds)).DecoderLogits!;
        Assert.Equal(ScalarType.Float32, low.dtype);
        var relative = ((low - reference).abs().max() / reference.abs().max()).item<float>();
        Assert.True(relative < 0.05, $"bf16 logits differ from float32 by {relative:P1} of the largest logit");
        Assert.Throws<ArgumentException>(() => model.SetComputeDType(ScalarType.Float16));
    }

    [Fact]
    public void ShiftRightPrependsStartTokenAndReplacesIgnoredLabels()
    {
        using var model = NewModel();
        var shifted = model.ShiftRight(Ids([7, 8, -100]));
        Assert.Equal(new long[] { 0, 7, 8 }, shifted.data<long>().ToArray());
        var ignored = model.ShiftRight(Ids([7, -100, 9]));
        Assert.Equal(new long[] { 0, 7, 0 }, ignored.data<long>().ToArray());
    }

    [Fact]
    public void ConfigReadsHuggingFaceNamesAndRejectsBadValues()
    {
        const string json = """
            { "model_type": "t5", "d_model": 32, "d_kv": 8, "d_ff": 64, "num_layers": 2, "num_heads": 4,
              "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128, "vocab_size": 100,
              "feed_forward_proj": "gated-gelu", "tie_word_embeddings": false, "layer_norm_epsilon": 1e-06,
              "decoder_start_token_id": 0, "dropout_rate": 0.1 }
            """;
        var config = T5Config.FromJson(json);
        Assert.Equal(32, config.DModel);
        Assert.Equal(2, config.DecoderLayers); // num_decoder_layers absent → num_layers
        Assert.True(config.IsGated);
        Assert.Equal("gelu", config.ActivationName);
        Assert.False(config.TieWordEmbeddings);

        var badType = Assert.Throws<InvalidDataException>(() => T5Config.FromJson(json.Replace("\"d_model\": 32", "\"d_model\": \"wide\""), "m/config.json"));
        Assert.Contains("m/config.json", badType.Message);
        Assert.Contains("d_model", badType.Message);
        var badProj = Assert.Throws<InvalidDataException>(() => T5Config.FromJson(json.Replace("gated-gelu", "gated-swish"), "m/config.json"));
        Assert.Contains("feed_forward_proj", badProj.Message);
        var badHeads = Assert.Throws<InvalidDataException>(() => T5Config.FromJson(json.Replace("\"num_heads\": 4", "\"num_heads\": 0"), "m/config.json"));
        Assert.Contains("num_heads", badHeads.Message);
    }
}
