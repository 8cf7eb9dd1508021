using DP.Runtime.Backbones.Checkpointing;
using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Bert;

#pragma warning disable IDE1006, CS8981 // Hugging Face state-dict names.

/// <summary>
/// A BERT-family encoder (post-LayerNorm, absolute positions, token types, GELU) whose parameter names are the
/// Hugging Face BertModel names (embeddings.*, encoder.layer.N.*). Reads input embeddings so prompt rows can be
/// inserted; accepts per-layer key/value prefixes. Dropout in training mode at the config's hidden_dropout_prob
/// (embeddings, sub-layer outputs) and attention_probs_dropout_prob (attention probabilities), as transformers' BERT.
/// Built with the <see cref="BertParts"/> its checkpoint carries: the pooler (pooler.*) and the masked-LM head
/// (cls.predictions.*), which the heads read through <see cref="Pooled"/> and <see cref="MaskedLmLogits"/>.
/// </summary>
public sealed class BertModel : nn.Module, IPromptableBackbone
{
    public readonly BertEmbeddings embeddings;
    public readonly BertEncoder encoder;
    public readonly BertPooler? pooler;
    public readonly BertOnlyMlmHead? cls;

    public BertConfig Config { get; }
    public BackboneKind Kind => BackboneKind.Encoder;
    public BackboneShape Shape { get; }
    public nn.Module Module => this;
    public ScalarType ComputeDType { get; private set; } = ScalarType.Float32;
    public Tensor WordEmbeddingWeight => embeddings.word_embeddings.weight!;
    public bool GradientCheckpointing { get; set; }
    public SeededDropout Dropout { get; } = new();
    public double HiddenDropoutRate => Config.HiddenDropoutProb;

    /// <summary>The optional parts this model has.</summary>
    public BertParts Parts => (pooler is null ? BertParts.None : BertParts.Pooler) | (cls is null ? BertParts.None : BertParts.MaskedLm);

    /// <summary>Where the weights came from (a model folder, a packaged model), for errors about parts it lacks.</summary>
    public string WeightSource { get; set; } = "this BERT model";

    public BertModel(BertConfig config, BertParts parts = BertParts.None) : base("bert")
    {
        Config = config;
        var dropouts = new BertDropouts(new ConfiguredDropout(Dropout, config.HiddenDropoutProb), new ConfiguredDropout(Dropout, config.AttentionProbsDropoutProb));
        embeddings = new BertEmbeddings(config, dropouts.Hidden);
        encoder = new BertEncoder(config, dropouts);
        if (parts.HasFlag(BertParts.Pooler)) pooler = new BertPooler(config);
        if (parts.HasFlag(BertParts.MaskedLm)) cls = new BertOnlyMlmHead(config);
        Shape = new BackboneShape(config.HiddenSize, config.NumHiddenLayers, config.NumAttentionHeads,
            config.HiddenSize / config.NumAttentionHeads, config.VocabSize, config.MaxPositionEmbeddings);
        RegisterComponents();
    }

    public Tensor EmbedTokens(Tensor inputIds) => MetaFallback.Lookup(embeddings.word_embeddings, inputIds).to(ScalarType.Float32);

    public BackboneOutput Forward(BackboneInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.InputsEmbeds.to(ComputeDType);
        long batch = x.shape[0], length = x.shape[1];
        var device = x.device;
        // With key/value prefixes the input's positions continue after them, as Hugging Face BERT numbers them
        // after past_key_values (P-tuning v2 runs BERT that way).
        long past = input.DeepPrompt?.Mask.shape[1] ?? 0;
        if (input.PositionIds is null && past + length + Config.PositionOffset > Config.MaxPositionEmbeddings)
            throw new ArgumentException(
                $"{past} prefix and {length} input positions exceed the model's max_position_embeddings {Config.MaxPositionEmbeddings}; shorten task.max_length or method.prompt_length.");
        var positions = input.PositionIds
            ?? (torch.arange(past, past + length, dtype: ScalarType.Int64, device: device) + Config.PositionOffset).unsqueeze(0).expand(batch, length);
        var types = input.TokenTypeIds ?? torch.zeros(batch, length, dtype: ScalarType.Int64, device: device);
        var hidden = embeddings.Forward(x, positions, types);

        var keyMask = input.AttentionMask;
        if (input.DeepPrompt is { } deep) keyMask = torch.cat([deep.Mask.to(keyMask.dtype), keyMask], dim: 1);
        var additive = AdditiveMask(keyMask, ComputeDType);

        for (int i = 0; i < encoder.layer.Count; i++)
        {
            var pk = input.DeepPrompt?.Keys[i];
            var pv = input.DeepPrompt?.Values[i];
            var layer = encoder.layer[i];
            hidden = GradientCheckpointing && torch.is_grad_enabled()
                ? ActivationCheckpoint.Run(xs => layer.Forward(xs[0]!, xs[1]!, xs[2], xs[3]), training && Dropout.Enabled ? Dropout.Generators : null,
                    hidden, additive, pk, pv)
                : layer.Forward(hidden, additive, pk, pv);
        }
        return new BackboneOutput(hidden.to(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    /// <summary>BERT's pooled output tanh(dense(h[CLS])) [B, d] (float32) of a last hidden state [B, L, d].</summary>
    public Tensor Pooled(Tensor lastHiddenState)
    {
        var p = pooler ?? throw new InvalidOperationException(MissingPart("a pooler (pooler.dense.*)"));
        return p.Forward(lastHiddenState.to(ComputeDType)).to(ScalarType.Float32);
    }

    /// <summary>
    /// The masked-LM head's logits [N, K] (float32) of <paramref name="tokenIds"/> [K] (the whole vocabulary when null)
    /// for hidden states [N, d], as transformers' BertForMaskedLM computes them.
    /// </summary>
    public Tensor MaskedLmLogits(Tensor hidden, Tensor? tokenIds = null)
    {
        var head = cls ?? throw new InvalidOperationException(MissingPart("a masked-LM head (cls.predictions.*)"));
        return head.predictions.Logits(hidden.to(ComputeDType), WordEmbeddingWeight, tokenIds).to(ScalarType.Float32);
    }

    /// <summary>The error for a part this model was not built with: names where the weights came from.</summary>
    public string MissingPart(string part) => $"{WeightSource} has no {part}";

    /// <summary>[B, S] 0/1 → [B, 1, 1, S] with 0 where attended and a large negative value elsewhere.</summary>
    internal static Tensor AdditiveMask(Tensor keyMask, ScalarType dtype)
    {
        var m = keyMask.to(dtype).unsqueeze(1).unsqueeze(1);
        return (1.0f - m) * (dtype == ScalarType.BFloat16 ? -1e30f : float.MinValue / 2);
    }

    public void Freeze()
    {
        foreach (var p in parameters()) p.requires_grad = false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Dropout.Dispose();
        base.Dispose(disposing);
    }

    public void SetComputeDType(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16))
            throw new ArgumentException($"Backbone dtype must be float32 or bfloat16, not {dtype}.", nameof(dtype));
        this.to(dtype);
        ComputeDType = dtype;
    }
}
#pragma warning restore IDE1006, CS8981
