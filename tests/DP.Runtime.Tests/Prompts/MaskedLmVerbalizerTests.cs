using DP.Runtime.Backbones.Bert;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>
/// Issue 13 item 10: the masked-LM verbalizer of BERT-family checkpoints (OpenPrompt's default for masked LMs): the
/// label words' logits from the checkpoint's cls.predictions head at the [MASK] of the template, wherever the
/// prompt method moved it.
/// </summary>
public class MaskedLmVerbalizerTests
{
    private static readonly HeadOptions Verbalizer = new() { Kind = HeadKind.Verbalizer };

    private static PromptModel Model(MethodOptions method, BertModel backbone, int[]? words = null) =>
        PromptModelFactory.Create(method, Verbalizer, backbone, new TaskHeadInfo(2, words ?? MaskedLmKit.LabelWords), MaskedLmKit.Special, 3);

    [Theory]
    [InlineData("cls.predictions.bias")]
    [InlineData("cls.predictions.decoder.bias")]
    public void ABertForMaskedLmFolderLoadsItsHead(string biasName)
    {
        using var kit = new MaskedLmKit(biasName);
        using var bert = kit.Load();
        Assert.Equal(BertParts.MaskedLm, bert.Parts);
        var state = bert.state_dict();
        Assert.True(PromptTestKit.Same(state["cls.predictions.bias"], kit.Bias));
        Assert.True(PromptTestKit.Same(state["cls.predictions.transform.LayerNorm.weight"], kit.NormWeight));
        Assert.DoesNotContain("cls.predictions.decoder.weight", state.Keys); // tied: the word embeddings are the decoder
        Assert.Contains("tie_word_embeddings", File.ReadAllText(Path.Combine(kit.Folder, "config.json")));
    }

    /// <summary>
    /// Each method puts the prompt elsewhere: fine-tuning and P-tuning v2 leave the [MASK] where it was; prompt tuning
    /// moves it n places right (after [CLS] P); dynamic prompting n − split places (P[split:] before the input).
    /// </summary>
    [Theory]
    [InlineData(MethodKind.FineTune, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Prefix, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Prompt, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Dynamic, PositionPolicy.Postfix)]
    [InlineData(MethodKind.Dynamic, PositionPolicy.Instance)]
    public void ScoresAreTheHeadsLabelWordLogitsAtTheMask(MethodKind kind, PositionPolicy position)
    {
        using var kit = new MaskedLmKit();
        var method = PromptTestKit.Method(kind, position, length: kind == MethodKind.Dynamic ? LengthPolicy.Instance : LengthPolicy.Fixed);
        using var model = Model(method, kit.Load());
        model.Module.eval();
        var (batch, maskIndex) = MaskedLmKit.Batch(6, seed: 4);
        using var _ = torch.no_grad();
        var hidden = model.Backbone.Forward(model.BuildInput(batch)).LastHiddenState;
        var (split, _) = model.Choices(batch);
        int n = method is SoftPromptOptions soft ? soft.PromptLength : 0;
        var shift = kind switch
        {
            MethodKind.FineTune or MethodKind.Prefix => new int[6],
            _ => split.Select(j => n - j).ToArray(),
        };
        var atMask = torch.stack(Enumerable.Range(0, 6).Select(r => hidden[r, maskIndex[r] + shift[r]]).ToArray());
        var expected = kit.HandLogits(atMask, MaskedLmKit.LabelWords);
        var scores = model.Scores(batch);
        Assert.True(scores.allclose(expected, rtol: 1e-4, atol: 1e-5), $"{kind}/{position}: max |Δ| {(scores - expected).abs().max().item<float>()}");
        if (position == PositionPolicy.Instance) Assert.Contains(split, j => j != split[0]); // the rows really moved differently
    }

    [Fact]
    public void Bfloat16ScoresStayCloseToFloat32()
    {
        using var kit = new MaskedLmKit();
        var (batch, _) = MaskedLmKit.Batch(6, seed: 5);
        Tensor Scores(bool bf16)
        {
            var bert = kit.Load();
            if (bf16) bert.SetComputeDType(ScalarType.BFloat16);
            using var model = Model(PromptTestKit.Method(MethodKind.Prompt), bert);
            model.Module.eval();
            using var _ = torch.no_grad();
            return model.Scores(batch).detach().clone();
        }
        var fp32 = Scores(false);
        var bf16 = Scores(true);
        Assert.Equal(ScalarType.Float32, bf16.dtype);
        var relative = ((bf16 - fp32).norm() / fp32.norm()).item<float>();
        Assert.True(relative < 3e-2f, $"relative error {relative:E3}");
    }

    [Theory]
    [InlineData(MethodKind.Prompt, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Prefix, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Dynamic, PositionPolicy.Instance)]
    public void TrainingMovesTheLabelWordLogits(MethodKind kind, PositionPolicy position)
    {
        using var kit = new MaskedLmKit();
        using var model = Model(PromptTestKit.Method(kind, position), kit.Load());
        Assert.DoesNotContain(model.ParameterGroups, g => g.Name is "head" or "backbone"); // frozen, head included
        var (batch, _) = MaskedLmKit.Batch(16, seed: 2, positiveEvery: 4);
        float Margin() // mean logit of the right label word minus the wrong one
        {
            using var _ = torch.no_grad();
            var s = model.Scores(batch);
            var sign = batch.Labels.to(ScalarType.Float32) * 2 - 1;
            return ((s[.., 1] - s[.., 0]) * sign).mean().item<float>();
        }
        model.Module.eval();
        float before = Margin();
        PromptTestKit.Train(model, batch, steps: 30);
        float after = Margin();
        Assert.True(after > before + 0.2f, $"{kind}: label-word margin {before:F4} → {after:F4}");
    }

    [Fact]
    public void FineTuningTrainsTheMaskedLmHeadOnlyWhereTheHeadReadsIt()
    {
        using var kit = new MaskedLmKit();
        using var model = Model(PromptTestKit.Method(MethodKind.FineTune), kit.Load());
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(named["backbone.cls.predictions.transform.dense.weight"].requires_grad);
        using var linear = PromptModelFactory.Create(PromptTestKit.Method(MethodKind.FineTune), new HeadOptions(), kit.Load(), new TaskHeadInfo(2), MaskedLmKit.Special, 3);
        Assert.False(linear.named_parameters().Single(p => p.name == "backbone.cls.predictions.bias").parameter.requires_grad);
        Assert.True(linear.named_parameters().Single(p => p.name == "backbone.encoder.layer.0.output.dense.weight").parameter.requires_grad);
    }

    [Fact]
    public void ACheckpointWithoutAMaskedLmHeadIsAnErrorNamingTheMissingWeights()
    {
        using var kit = new MaskedLmKit(withHead: false);
        var e = Assert.Throws<ArgumentException>(() => Model(PromptTestKit.Method(MethodKind.Prompt), kit.Load()));
        Assert.Contains(kit.Folder, e.Message);
        Assert.Contains("cls.predictions.transform.dense", e.Message);
        Assert.Contains("head.kind: linear", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ATemplateWithoutExactlyOneMaskIsAnError(int masks)
    {
        using var kit = new MaskedLmKit();
        var task = new TaskHeadInfo(2, MaskedLmKit.LabelWords) { TemplateMasks = masks, TemplateSource = "task.template \"{text}\"" };
        var e = Assert.Throws<ArgumentException>(() =>
            PromptModelFactory.Create(PromptTestKit.Method(MethodKind.Prompt), Verbalizer, kit.Load(), task, MaskedLmKit.Special, 3));
        Assert.Contains("task.template \"{text}\"", e.Message);
        Assert.Contains($"has {masks}", e.Message);
        // A row that lost its mask (truncation) is an error when scored, not a silent read of another position.
        using var model = Model(PromptTestKit.Method(MethodKind.Prompt), kit.Load());
        var noMask = PromptTestKit.TokenPresenceBatch(3, seed: 1);
        Assert.Contains("exactly one {mask}", Assert.Throws<ArgumentException>(() => model.Scores(noMask)).Message);
    }
}
