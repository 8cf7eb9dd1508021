using DP.Runtime.Backbones.Checkpointing;
using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.T5;

#pragma warning disable IDE1006, CS8981 // Hugging Face state-dict names.

/// <summary>
/// T5 encoder–decoder (v1.1 / LM-adapted and original T5) whose parameter names are the Hugging Face
/// T5ForConditionalGeneration names: shared.weight, encoder.block.N.layer.M.*, decoder.*, lm_head.weight
/// (absent when the embeddings are tied). Dropout at the config's dropout_rate in training mode, where transformers'
/// T5 applies it (embeddings, attention weights, feed-forward activations, sub-layer outputs, each stack's output);
/// no key/value cache (the prompt methods score a few
/// decoder steps with teacher forcing, they do not generate long outputs).
/// </summary>
/// <remarks>
/// Prompt-related choices:
/// <list type="bullet">
/// <item>The relative position bias is computed over the assembled encoder sequence, prompt rows included:
/// every row of <see cref="BackboneInput.InputsEmbeds"/> is one position.</item>
/// <item><see cref="DeepPrompt"/> key/value prefixes (one per encoder layer) get a zero position bias: they have no
/// place in the sequence, so they are scored by content alone and masked by <see cref="DeepPrompt.Mask"/>.
/// The decoder is never prefixed.</item>
/// <item><see cref="BackboneInput.PositionIds"/> and <see cref="BackboneInput.TokenTypeIds"/> do not exist in T5 and
/// are ignored.</item>
/// </list>
/// </remarks>
public sealed class T5Model : nn.Module, IPromptableBackbone
{
    public readonly Embedding shared;
    public readonly T5Stack encoder;
    public readonly T5Stack decoder;
    public readonly Linear? lm_head;

    /// <summary>Additive mask value for keys a query must not see (finite, so a fully masked row stays finite).</summary>
    private const float Masked = -1e9f;

    public T5Config Config { get; }
    public BackboneKind Kind => BackboneKind.EncoderDecoder;
    public BackboneShape Shape { get; }
    public nn.Module Module => this;
    public ScalarType ComputeDType { get; private set; } = ScalarType.Float32;
    public Tensor WordEmbeddingWeight => shared.weight!;
    public bool GradientCheckpointing { get; set; }
    public SeededDropout Dropout { get; } = new();
    public double HiddenDropoutRate => Config.DropoutRate;
    private readonly ConfiguredDropout _dropout;

    /// <param name="generator">Draws the initial weights; torch's default generator when null. A generator of its own
    /// gives the same weights for the same seed whatever else draws from the default one.</param>
    public T5Model(T5Config config, Generator? generator = null) : base("t5")
    {
        config.Validate();
        Config = config;
        _dropout = new ConfiguredDropout(Dropout, config.DropoutRate);
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5Stack(config, _dropout, isDecoder: false);
        decoder = new T5Stack(config, _dropout, isDecoder: true);
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        Shape = new BackboneShape(config.DModel, config.NumLayers, config.NumHeads, config.DKv, config.VocabSize, config.NPositions);
        RegisterComponents();
        InitializeWeights(generator);
    }

    /// <summary>
    /// The T5 paper's initialisation (as transformers' T5PreTrainedModel._init_weights): normal weights whose
    /// scale makes unscaled dot-product attention well conditioned; RMSNorm weights one.
    /// </summary>
    private void InitializeWeights(Generator? generator)
    {
        double f = Config.InitializerFactor, d = Config.DModel, kv = Config.DKv, h = Config.NumHeads, ff = Config.DFf;
        using var noGrad = torch.no_grad();
        shared.weight!.normal_(0, f * 1.0, generator);
        lm_head?.weight.normal_(0, f * 1.0, generator);
        foreach (var stack in new[] { encoder, decoder })
        {
            foreach (var block in stack.block)
            {
                var attentions = new List<T5Attention> { block.SelfAttentionLayer.SelfAttention };
                if (stack == decoder) attentions.Add(block.CrossAttentionLayer.EncDecAttention);
                foreach (var a in attentions)
                {
                    a.q.weight.normal_(0, f * Math.Pow(d * kv, -0.5), generator);
                    a.k.weight.normal_(0, f * Math.Pow(d, -0.5), generator);
                    a.v.weight.normal_(0, f * Math.Pow(d, -0.5), generator);
                    a.o.weight.normal_(0, f * Math.Pow(h * kv, -0.5), generator);
                    a.relative_attention_bias?.weight!.normal_(0, f * Math.Pow(d, -0.5), generator);
                }
                switch (block.FeedForwardLayer.DenseReluDense)
                {
                    case T5DenseGatedActDense g:
                        g.wi_0.weight.normal_(0, f * Math.Pow(d, -0.5), generator);
                        g.wi_1.weight.normal_(0, f * Math.Pow(d, -0.5), generator);
                        g.wo.weight.normal_(0, f * Math.Pow(ff, -0.5), generator);
                        break;
                    case T5DenseActDense p:
                        p.wi.weight.normal_(0, f * Math.Pow(d, -0.5), generator);
                        p.wo.weight.normal_(0, f * Math.Pow(ff, -0.5), generator);
                        break;
                }
            }
        }
    }

    public Tensor EmbedTokens(Tensor inputIds) => MetaFallback.Lookup(shared, inputIds).to(ScalarType.Float32);

    /// <summary>
    /// Encoder on the (prompted) input embeddings; when <see cref="BackboneInput.DecoderInputIds"/> is given the
    /// decoder runs with teacher forcing and the output also holds the decoder's last hidden state and logits.
    /// </summary>
    public BackboneOutput Forward(BackboneInput input)
    {
        using var scope = NewDisposeScope();
        var encoded = Encode(input.InputsEmbeds, input.AttentionMask, input.DeepPrompt);
        if (input.DecoderInputIds is null)
            return new BackboneOutput(encoded.to(ScalarType.Float32).MoveToOuterDisposeScope());
        var (decoded, logits) = Decode(input.DecoderInputIds, encoded, input.AttentionMask);
        return new BackboneOutput(
            encoded.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            decoded.to(ScalarType.Float32).MoveToOuterDisposeScope(),
            logits.to(ScalarType.Float32).MoveToOuterDisposeScope());
    }

    /// <summary>Encoder stack → [B, L, d] in the compute dtype (after encoder.final_layer_norm).</summary>
    public Tensor Encode(Tensor inputsEmbeds, Tensor attentionMask, DeepPrompt? deepPrompt = null)
    {
        using var scope = NewDisposeScope();
        var hidden = _dropout.Apply(inputsEmbeds.to(ComputeDType), training);
        long batch = hidden.shape[0], length = hidden.shape[1];
        if (attentionMask.shape.Length != 2 || attentionMask.shape[0] != batch || attentionMask.shape[1] != length)
            throw new ArgumentException(
                $"AttentionMask must be [{batch}, {length}] to match InputsEmbeds, got [{string.Join(", ", attentionMask.shape)}].");
        if (deepPrompt is not null && (deepPrompt.Keys.Count != encoder.block.Count || deepPrompt.Values.Count != encoder.block.Count))
            throw new ArgumentException(
                $"DeepPrompt needs one key and one value prefix per encoder layer ({encoder.block.Count}), got {deepPrompt.Keys.Count} keys and {deepPrompt.Values.Count} values.");

        var positionBias = encoder.PositionBias(length, length, bidirectional: true, hidden.device);
        var keyMask = attentionMask;
        if (deepPrompt is not null)
        {
            long prefix = deepPrompt.Mask.shape[1];
            positionBias = torch.cat([torch.zeros(1, Config.NumHeads, length, prefix, device: hidden.device), positionBias], dim: 3);
            keyMask = torch.cat([deepPrompt.Mask.to(keyMask.dtype), keyMask], dim: 1);
        }
        var bias = positionBias + KeyMaskBias(keyMask);
        for (int i = 0; i < encoder.block.Count; i++)
            hidden = RunBlock(encoder.block[i], hidden, bias, null, null, deepPrompt?.Keys[i], deepPrompt?.Values[i]);
        return _dropout.Apply(encoder.final_layer_norm.forward(hidden), training).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Causal decoder over <paramref name="decoderInputIds"/> [B, T] attending to the encoder output; returns the
    /// decoder's last hidden state [B, T, d] and the logits [B, T, vocab], both in the compute dtype.
    /// </summary>
    public (Tensor Hidden, Tensor Logits) Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor encoderAttentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = _dropout.Apply(MetaFallback.Lookup(shared, decoderInputIds).to(ComputeDType), training);
        long length = hidden.shape[1];
        var device = hidden.device;
        var causal = torch.ones(length, length, dtype: ScalarType.Bool, device: device).triu(1);
        var selfBias = decoder.PositionBias(length, length, bidirectional: false, device)
            .masked_fill(causal.unsqueeze(0).unsqueeze(0), Masked);
        var crossBias = KeyMaskBias(encoderAttentionMask);
        for (int i = 0; i < decoder.block.Count; i++)
            hidden = RunBlock(decoder.block[i], hidden, selfBias, encoderHidden, crossBias, null, null);
        hidden = _dropout.Apply(decoder.final_layer_norm.forward(hidden), training);
        // Tied embeddings: transformers rescales by d_model^-0.5 before projecting onto the shared table.
        var logits = lm_head is not null
            ? lm_head.forward(hidden)
            : torch.matmul(hidden * Math.Pow(Config.DModel, -0.5), shared.weight!.t());
        return (hidden.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    private Tensor RunBlock(T5Block block, Tensor hidden, Tensor selfBias, Tensor? encoderHidden, Tensor? crossBias,
        Tensor? prefixKey, Tensor? prefixValue)
        => GradientCheckpointing && torch.is_grad_enabled()
            ? ActivationCheckpoint.Run(xs => block.Forward(xs[0]!, xs[1]!, xs[2], xs[3], xs[4], xs[5]), _dropout.IsActive(training) ? Dropout.Generators : null,
                hidden, selfBias, encoderHidden, crossBias, prefixKey, prefixValue)
            : block.Forward(hidden, selfBias, encoderHidden, crossBias, prefixKey, prefixValue);

    /// <summary>[B, S] 0/1 → [B, 1, 1, S] float32: 0 where attended, a large negative value elsewhere.</summary>
    private static Tensor KeyMaskBias(Tensor keyMask)
        => (1.0f - keyMask.to(ScalarType.Float32)).unsqueeze(1).unsqueeze(1) * Masked;

    /// <summary>
    /// Teacher-forcing decoder inputs from target ids [B, T]: the decoder start token, then the targets shifted one
    /// step right; -100 (ignored label) becomes the pad id.
    /// </summary>
    public Tensor ShiftRight(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var start = torch.full(labels.shape[0], 1, Config.DecoderStartTokenId, dtype: labels.dtype, device: labels.device);
        var shifted = torch.cat([start, labels[.., ..^1]], dim: 1);
        return shifted.masked_fill(shifted.eq(-100), Config.PadTokenId).MoveToOuterDisposeScope();
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
