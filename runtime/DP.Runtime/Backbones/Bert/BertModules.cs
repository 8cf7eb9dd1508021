using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Bert;

// Field names are the Hugging Face state-dict names; do not rename them.
#pragma warning disable IDE1006, CS8981

/// <summary>embeddings.*: word + absolute position + token type, then LayerNorm and dropout.</summary>
public sealed class BertEmbeddings : nn.Module
{
    public readonly Embedding word_embeddings;
    public readonly Embedding position_embeddings;
    public readonly Embedding token_type_embeddings;
    public readonly LayerNorm LayerNorm;
    private readonly ConfiguredDropout _dropout;

    public BertEmbeddings(BertConfig c, ConfiguredDropout hiddenDropout) : base("embeddings")
    {
        _dropout = hiddenDropout;
        word_embeddings = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.HiddenSize);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>Adds positions and token types to already-looked-up word embeddings.</summary>
    public Tensor Forward(Tensor inputsEmbeds, Tensor positionIds, Tensor tokenTypeIds)
    {
        var x = inputsEmbeds + MetaFallback.Lookup(position_embeddings, positionIds) + MetaFallback.Lookup(token_type_embeddings, tokenTypeIds);
        return _dropout.Apply(MetaFallback.Normalize(LayerNorm, x), training);
    }
}

/// <summary>attention.self.*: multi-head scaled dot-product attention with optional key/value prefixes.</summary>
public sealed class BertSelfAttention : nn.Module
{
    public readonly Linear query;
    public readonly Linear key;
    public readonly Linear value;
    private readonly int _heads;
    private readonly int _headDim;
    private readonly ConfiguredDropout _dropout;

    public BertSelfAttention(BertConfig c, ConfiguredDropout attentionDropout) : base("self")
    {
        _dropout = attentionDropout;
        _heads = c.NumAttentionHeads;
        _headDim = c.HiddenSize / c.NumAttentionHeads;
        query = nn.Linear(c.HiddenSize, c.HiddenSize);
        key = nn.Linear(c.HiddenSize, c.HiddenSize);
        value = nn.Linear(c.HiddenSize, c.HiddenSize);
        RegisterComponents();
    }

    /// <summary>
    /// Query, key and value [B, H, L, hd] from one GEMM over the three weights side by side: one [d, 3d] product (and
    /// one in backward) instead of three [d, d] ones and the sum of their input gradients. The weights stay three
    /// Hugging Face parameters (loading, saving, fine-tuning); the concatenation is a 3 d² copy per layer and step.
    /// </summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor hidden)
    {
        var weight = torch.cat([query.weight!, key.weight!, value.weight!]);
        var bias = torch.cat([query.bias!, key.bias!, value.bias!]);
        var qkv = nn.functional.linear(hidden, weight, bias) // [B, L, 3d] → [3, B, H, L, hd]
            .view(hidden.shape[0], hidden.shape[1], 3, _heads, _headDim).permute(2, 0, 3, 1, 4).unbind(0);
        return (qkv[0], qkv[1], qkv[2]);
    }

    /// <param name="additiveMask">[B, 1, 1, S] with 0 for keys to attend and a large negative value otherwise.</param>
    public Tensor Forward(Tensor hidden, Tensor additiveMask, Tensor? prefixKey, Tensor? prefixValue)
    {
        var (q, k, v) = Project(hidden);
        if (prefixKey is not null && prefixValue is not null)
        {
            k = torch.cat([prefixKey.to(k.dtype), k], dim: 2);
            v = torch.cat([prefixValue.to(v.dtype), v], dim: 2);
        }
        var ctx = torch.is_grad_enabled() || _dropout.IsActive(training) || MetaFallback.IsMeta(q) ? Attend(q, k, v, additiveMask)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: additiveMask);
        return ctx.transpose(1, 2).reshape(hidden.shape[0], hidden.shape[1], _heads * _headDim);
    }

    /// <summary>
    /// Attention as explicit products. libtorch's CPU scaled_dot_product_attention backward is about 3× slower than
    /// autograd through these three ops (measured in bfloat16 at 16 × 148 tokens), so training uses this path;
    /// inference (no grad) keeps the fused kernel, which is slightly faster forward. Attention dropout (training mode) acts on
    /// the probabilities here, with masks from the backbone's own generator (the fused kernel would draw from torch's).
    /// </summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor additiveMask)
    {
        var scores = torch.matmul(q, k.transpose(-1, -2)).mul_(1.0 / Math.Sqrt(_headDim)).add_(additiveMask);
        return torch.matmul(_dropout.Apply(scores.softmax(-1), training), v);
    }
}

/// <summary>A dense projection, dropout, residual add and LayerNorm (attention.output.* and output.*).</summary>
public sealed class BertResidualOutput : nn.Module
{
    public readonly Linear dense;
    public readonly LayerNorm LayerNorm;
    private readonly ConfiguredDropout _dropout;

    public BertResidualOutput(int inFeatures, BertConfig c, ConfiguredDropout hiddenDropout) : base("output")
    {
        _dropout = hiddenDropout;
        dense = nn.Linear(inFeatures, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor residual) => MetaFallback.Normalize(LayerNorm, _dropout.Apply(dense.forward(x), training) + residual);
}

/// <summary>encoder.layer.N.attention.*</summary>
public sealed class BertAttention : nn.Module
{
    public readonly BertSelfAttention self;
    public readonly BertResidualOutput output;

    public BertAttention(BertConfig c, BertDropouts dropouts) : base("attention")
    {
        self = new BertSelfAttention(c, dropouts.Attention);
        output = new BertResidualOutput(c.HiddenSize, c, dropouts.Hidden);
        RegisterComponents();
    }
}

/// <summary>encoder.layer.N.intermediate.*</summary>
public sealed class BertIntermediate : nn.Module
{
    public readonly Linear dense;

    public BertIntermediate(BertConfig c) : base("intermediate")
    {
        if (c.HiddenAct is not ("gelu" or "gelu_python"))
            throw new NotSupportedException($"hidden_act '{c.HiddenAct}' is not supported; use 'gelu'.");
        dense = nn.Linear(c.HiddenSize, c.IntermediateSize);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x) => nn.functional.gelu(dense.forward(x));
}

/// <summary>encoder.layer.N: post-LayerNorm transformer block.</summary>
public sealed class BertLayer : nn.Module
{
    public readonly BertAttention attention;
    public readonly BertIntermediate intermediate;
    public readonly BertResidualOutput output;

    public BertLayer(BertConfig c, BertDropouts dropouts) : base("layer")
    {
        attention = new BertAttention(c, dropouts);
        intermediate = new BertIntermediate(c);
        output = new BertResidualOutput(c.IntermediateSize, c, dropouts.Hidden);
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, Tensor additiveMask, Tensor? prefixKey, Tensor? prefixValue)
    {
        // A scope per layer frees the layer's temporaries when it returns (autograd keeps its own references to what
        // backward needs). Without it every layer's temporaries live until the whole forward ends: at evaluation
        // batch 64 × 256 tokens that was ≈ 1 GB of peak memory.
        using var scope = NewDisposeScope();
        var attended = attention.output.Forward(attention.self.Forward(hidden, additiveMask, prefixKey, prefixValue), hidden);
        return output.Forward(intermediate.Forward(attended), attended).MoveToOuterDisposeScope();
    }
}

/// <summary>encoder.*</summary>
public sealed class BertEncoder : nn.Module
{
    public readonly ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig c, BertDropouts dropouts) : base("encoder")
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new BertLayer(c, dropouts)).ToArray());
        RegisterComponents();
    }
}
/// <summary>BERT's two dropout rates: hidden_dropout_prob (embeddings, sub-layer outputs) and attention_probs_dropout_prob.</summary>
public sealed record BertDropouts(ConfiguredDropout Hidden, ConfiguredDropout Attention);
#pragma warning restore IDE1006, CS8981
