using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

#pragma warning disable IDE1006

/// <summary>
/// A tiny stand-in encoder–decoder (until the T5 backbone lands): a BERT encoder, and a "decoder" whose logits at
/// each step read the decoder token's embedding plus the masked mean of the encoder states. Enough to drive the
/// verbalizer head and the T5 assembly path (no [CLS], closing token last) through the real contract.
/// </summary>
internal sealed class TinySeq2Seq : nn.Module, IPromptableBackbone
{
    public readonly BertModel encoder;
    public readonly Embedding decoder_embed;
    public readonly Linear lm_head;
    public int Calls;

    public TinySeq2Seq(int seed) : base("tiny_seq2seq")
    {
        encoder = PromptTestKit.Backbone(seed);
        decoder_embed = nn.Embedding(PromptTestKit.Tiny.VocabSize, PromptTestKit.Tiny.HiddenSize);
        lm_head = nn.Linear(PromptTestKit.Tiny.HiddenSize, PromptTestKit.Tiny.VocabSize);
        RegisterComponents();
        PromptTestKit.Reinitialise(decoder_embed, seed + 1);
        PromptTestKit.Reinitialise(lm_head, seed + 2);
    }

    public BackboneKind Kind => BackboneKind.EncoderDecoder;
    public BackboneShape Shape => encoder.Shape;
    public nn.Module Module => this;
    public Tensor WordEmbeddingWeight => encoder.WordEmbeddingWeight;
    public ScalarType ComputeDType => encoder.ComputeDType;
    public Tensor EmbedTokens(Tensor inputIds) => encoder.EmbedTokens(inputIds);
    public bool GradientCheckpointing { get => encoder.GradientCheckpointing; set => encoder.GradientCheckpointing = value; }
    public DP.Runtime.Backbones.Dropout.SeededDropout Dropout => encoder.Dropout;
    public double HiddenDropoutRate => encoder.HiddenDropoutRate;

    public BackboneOutput Forward(BackboneInput input)
    {
        Calls++;
        var states = encoder.Forward(input with { DecoderInputIds = null }).LastHiddenState;
        if (input.DecoderInputIds is null) return new BackboneOutput(states);
        var m = input.AttentionMask.to(states.dtype).unsqueeze(-1);
        var pooled = (states * m).sum(1) / m.sum(1);
        var dec = decoder_embed.forward(input.DecoderInputIds) + pooled.unsqueeze(1);
        return new BackboneOutput(states, dec, lm_head.forward(dec));
    }

    public void Freeze()
    {
        foreach (var p in parameters()) p.requires_grad = false;
    }

    public void SetComputeDType(ScalarType dtype) => encoder.SetComputeDType(dtype);
}
#pragma warning restore IDE1006

public class VerbalizerTests
{
    // Mask: a stand-in for <extra_id_0>, which the default head.decoder_prefix feeds the decoder after its start token.
    internal static readonly SpecialTokens T5Special = new(Pad: 0, Cls: null, Sep: 2, Mask: 39);
    internal static readonly int[] LabelWords = [11, 12];

    /// <summary>T5-style rows: body then the closing token, no [CLS].</summary>
    internal static DP.Runtime.Models.ModelBatch T5Batch(int rows, int seed, int positiveEvery = 2)
    {
        var bert = PromptTestKit.TokenPresenceBatch(rows, seed, positiveEvery: positiveEvery);
        // Drop the leading [CLS]: shift every row left by one.
        var ids = bert.InputIds[.., 1..].contiguous();
        var mask = bert.AttentionMask[.., 1..].contiguous();
        return bert with { InputIds = ids, AttentionMask = mask, TokenTypeIds = null };
    }

    [Fact]
    public void ScoresAreTheLabelWordLogitsAtTheDecoderStepAfterTheSentinel()
    {
        var backbone = new TinySeq2Seq(7);
        using var model = PromptModelFactory.Create(PromptTestKit.Method(MethodKind.Prompt), new HeadOptions(), backbone,
            new TaskHeadInfo(2, LabelWords), T5Special, 3);
        Assert.Equal(0, model.Assembler!.Lead);
        model.Module.eval();
        var batch = T5Batch(4, 1);
        var input = model.BuildInput(batch);
        // The default head.decoder_prefix: the start token, then <extra_id_0> (T5Special.Mask), for every row.
        Assert.Equal(new long[] { 0, 39, 0, 39, 0, 39, 0, 39 }, input.DecoderInputIds!.reshape(-1).data<long>().ToArray());
        var logits = backbone.Forward(input).DecoderLogits!;
        var scores = model.Scores(batch);
        Assert.True(PromptTestKit.Same(scores, logits[.., 1].index_select(1, torch.tensor(new long[] { 11, 12 }))));
        // T5 layout: the prompt comes first and the closing token stays last of each row.
        var embeds = backbone.EmbedTokens(batch.InputIds);
        var lens = batch.AttentionMask.sum(1).to(ScalarType.Int64);
        var prompt = model.named_parameters().Single(p => p.name == "prompt.weight").parameter.detach();
        for (int b = 0; b < 4; b++)
        {
            int len = (int)lens[b].item<long>();
            Assert.True(PromptTestKit.Same(input.InputsEmbeds[b, ..4], prompt));
            Assert.True(PromptTestKit.Same(input.InputsEmbeds[b, len - 1 + 4], embeds[b, len - 1]));
        }
    }

    [Theory]
    [InlineData(MethodKind.Prompt, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Dynamic, PositionPolicy.Instance)]
    public void APromptAloneLearnsThroughTheVerbalizer(MethodKind kind, PositionPolicy position)
    {
        using var model = PromptModelFactory.Create(PromptTestKit.Method(kind, position), new HeadOptions(), new TinySeq2Seq(7),
            new TaskHeadInfo(2, LabelWords), T5Special, 3);
        Assert.DoesNotContain(model.ParameterGroups, g => g.Name is "head" or "backbone");
        // Three positives in four: a prompt can at least learn the class prior through the frozen model.
        var batch = T5Batch(16, 2, positiveEvery: 4);
        model.Module.eval();
        float before;
        using (torch.no_grad()) before = model.Loss(batch).item<float>();
        PromptTestKit.Train(model, batch, steps: 40);
        float after;
        using (torch.no_grad()) after = model.Loss(batch).item<float>();
        Assert.True(after < before - 0.05f, $"{kind}/{position}: {before:F4} → {after:F4}");
    }

    [Fact]
    public void VerbalizerNeedsAnEncoderDecoderAndLabelWords()
    {
        var e = Assert.Throws<ArgumentException>(() => PromptModelFactory.Create(PromptTestKit.Method(MethodKind.Prompt),
            new HeadOptions { Kind = HeadKind.Verbalizer }, PromptTestKit.Backbone(), new TaskHeadInfo(2, LabelWords), PromptTestKit.Special, 1));
        Assert.Contains("cls.predictions", e.Message); // a BERT without a masked-LM head
        e = Assert.Throws<ArgumentException>(() => PromptModelFactory.Create(PromptTestKit.Method(MethodKind.Prompt),
            new HeadOptions(), new TinySeq2Seq(1), new TaskHeadInfo(2), T5Special, 1));
        Assert.Contains("label words", e.Message);
    }

    [Fact]
    public void RestoredTemperatureIsWhereAnnealingContinues()
    {
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task));
        Assert.Equal(1.0, model.ExtraState[PromptModel.TemperatureKey]);
        model.ExtraState[PromptModel.TemperatureKey] = 0.8;
        model.OnOptimizerStep(10);
        Assert.Equal(0.8 * Math.Exp(-3e-5), model.Temperature!.Value, 12);
    }
}
