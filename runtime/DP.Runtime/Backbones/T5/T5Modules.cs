using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.T5;

// Field names are the Hugging Face state-dict names; do not rename them.
#pragma warning disable IDE1006, CS8981

/// <summary>
/// T5LayerNorm (RMSNorm): scales by the root mean square without subtracting the mean and has no bias.
/// The variance is taken in float32 whatever the weight dtype, as transformers does.
/// </summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    private readonly double _eps;

    public T5LayerNorm(int size, double eps, string name) : base(name)
    {
        _eps = eps;
        weight = new Parameter(torch.ones(size));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normed = x32 * torch.rsqrt(x32.square().mean([-1], keepdim: true) + _eps);
        if (weight.dtype != ScalarType.Float32) normed = normed.to(weight.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// T5Attention: q, k, v, o without biases and without 1/sqrt(d) scaling (T5 folds it into the initialisation).
/// Only the first block of each stack owns relative_attention_bias; its bias is shared by the later blocks.
/// </summary>
public sealed class T5Attention : nn.Module
{
    public readonly Linear q;
    public readonly Linear k;
    public readonly Linear v;
    public readonly Linear o;
    public readonly Embedding? relative_attention_bias;

    private readonly int _heads;
    private readonly int _headDim;
    private readonly int _numBuckets;
    private readonly int _maxDistance;
    private readonly ConfiguredDropout _dropout;

    public T5Attention(T5Config c, ConfiguredDropout dropout, bool hasRelativeAttentionBias, string name) : base(name)
    {
        _dropout = dropout;
        _heads = c.NumHeads;
        _headDim = c.DKv;
        _numBuckets = c.RelativeAttentionNumBuckets;
        _maxDistance = c.RelativeAttentionMaxDistance;
        int inner = c.NumHeads * c.DKv;
        q = nn.Linear(c.DModel, inner, hasBias: false);
        k = nn.Linear(c.DModel, inner, hasBias: false);
        v = nn.Linear(c.DModel, inner, hasBias: false);
        o = nn.Linear(inner, c.DModel, hasBias: false);
        if (hasRelativeAttentionBias) relative_attention_bias = nn.Embedding(c.RelativeAttentionNumBuckets, c.NumHeads);
        RegisterComponents();
    }

    /// <summary>Learned position bias [1, heads, queryLength, keyLength] in float32.</summary>
    public Tensor PositionBias(long queryLength, long keyLength, bool bidirectional, Device device)
    {
        if (relative_attention_bias is null)
            throw new InvalidOperationException("Only the first block's attention owns relative_attention_bias.");
        using var scope = NewDisposeScope();
        var buckets = RelativePositionBuckets.ForLengths(queryLength, keyLength, bidirectional, _numBuckets, _maxDistance, device);
        var bias = MetaFallback.Lookup(relative_attention_bias, buckets).to(ScalarType.Float32); // [q, k, H]
        return bias.permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope();
    }

    private Tensor Split(Tensor x) // [B, L, H*hd] → [B, H, L, hd]
        => x.view(x.shape[0], x.shape[1], _heads, _headDim).transpose(1, 2);

    /// <param name="hidden">Queries' source [B, Lq, d].</param>
    /// <param name="keyValueStates">Keys' and values' source (encoder output for cross-attention); null = self-attention.</param>
    /// <param name="bias">Float32 additive scores (position bias + mask), broadcastable to [B, H, Lq, Lk(+prefix)].</param>
    /// <param name="prefixKey">Optional [B, H, P, hd] keys placed before the sequence's own keys.</param>
    public Tensor Forward(Tensor hidden, Tensor? keyValueStates, Tensor bias, Tensor? prefixKey = null, Tensor? prefixValue = null)
    {
        using var scope = NewDisposeScope();
        var source = keyValueStates ?? hidden;
        var query = Split(q.forward(hidden));
        var key = Split(k.forward(source));
        var value = Split(v.forward(source));
        if (prefixKey is not null && prefixValue is not null)
        {
            key = torch.cat([prefixKey.to(key.dtype), key], dim: 2);
            value = torch.cat([prefixValue.to(value.dtype), value], dim: 2);
        }
        // Scores in the compute dtype, softmax in float32 (as transformers), weights back to the compute dtype.
        var scores = torch.matmul(query, key.transpose(-1, -2)).to(ScalarType.Float32) + bias;
        var weights = _dropout.Apply(scores.softmax(-1).to(value.dtype), training);
        var context = torch.matmul(weights, value).transpose(1, 2).reshape(hidden.shape[0], hidden.shape[1], _heads * _headDim);
        return o.forward(context).MoveToOuterDisposeScope();
    }
}

/// <summary>block.N.layer.0: pre-norm self-attention with a residual.</summary>
public sealed class T5LayerSelfAttention : nn.Module
{
    public readonly T5Attention SelfAttention;
    public readonly T5LayerNorm layer_norm;

    private readonly ConfiguredDropout _dropout;

    public T5LayerSelfAttention(T5Config c, ConfiguredDropout dropout, bool hasRelativeAttentionBias) : base("layer")
    {
        _dropout = dropout;
        SelfAttention = new T5Attention(c, dropout, hasRelativeAttentionBias, nameof(SelfAttention));
        layer_norm = new T5LayerNorm(c.DModel, c.LayerNormEpsilon, nameof(layer_norm));
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, Tensor bias, Tensor? prefixKey, Tensor? prefixValue)
        => hidden + _dropout.Apply(SelfAttention.Forward(layer_norm.forward(hidden), null, bias, prefixKey, prefixValue), training);
}

/// <summary>decoder.block.N.layer.1: pre-norm cross-attention over the encoder output, with a residual.</summary>
public sealed class T5LayerCrossAttention : nn.Module
{
    public readonly T5Attention EncDecAttention;
    public readonly T5LayerNorm layer_norm;

    private readonly ConfiguredDropout _dropout;

    public T5LayerCrossAttention(T5Config c, ConfiguredDropout dropout) : base("layer")
    {
        _dropout = dropout;
        EncDecAttention = new T5Attention(c, dropout, hasRelativeAttentionBias: false, nameof(EncDecAttention));
        layer_norm = new T5LayerNorm(c.DModel, c.LayerNormEpsilon, nameof(layer_norm));
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, Tensor encoderHidden, Tensor bias)
        => hidden + _dropout.Apply(EncDecAttention.Forward(layer_norm.forward(hidden), encoderHidden, bias), training);
}

/// <summary>The activations feed_forward_proj can name; "gelu" behind "gated-" is transformers' gelu_new (tanh).</summary>
internal static class T5Activation
{
    public static Tensor Apply(string name, bool gated, Tensor x) => name switch
    {
        "gelu" when gated => nn.functional.gelu(x, GELU.Approximate.tanh),
        "gelu" => nn.functional.gelu(x),
        "relu" => nn.functional.relu(x),
        "silu" => nn.functional.silu(x),
        _ => throw new NotSupportedException($"feed_forward_proj activation '{name}' is not supported."),
    };
}

/// <summary>DenseReluDense of T5 v1.1: wo(act(wi_0 x) * wi_1 x), no biases.</summary>
public sealed class T5DenseGatedActDense : nn.Module<Tensor, Tensor>
{
    public readonly Linear wi_0;
    public readonly Linear wi_1;
    public readonly Linear wo;
    private readonly string _act;
    private readonly ConfiguredDropout _dropout;

    public T5DenseGatedActDense(T5Config c, ConfiguredDropout dropout) : base("DenseReluDense")
    {
        _act = c.ActivationName;
        _dropout = dropout;
        wi_0 = nn.Linear(c.DModel, c.DFf, hasBias: false);
        wi_1 = nn.Linear(c.DModel, c.DFf, hasBias: false);
        wo = nn.Linear(c.DFf, c.DModel, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = T5Activation.Apply(_act, gated: true, wi_0.forward(x)) * wi_1.forward(x);
        return wo.forward(_dropout.Apply(gated, training)).MoveToOuterDisposeScope();
    }
}

/// <summary>DenseReluDense of the original T5: wo(act(wi x)), no biases.</summary>
public sealed class T5DenseActDense : nn.Module<Tensor, Tensor>
{
    public readonly Linear wi;
    public readonly Linear wo;
    private readonly string _act;
    private readonly ConfiguredDropout _dropout;

    public T5DenseActDense(T5Config c, ConfiguredDropout dropout) : base("DenseReluDense")
    {
        _act = c.ActivationName;
        _dropout = dropout;
        wi = nn.Linear(c.DModel, c.DFf, hasBias: false);
        wo = nn.Linear(c.DFf, c.DModel, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return wo.forward(_dropout.Apply(T5Activation.Apply(_act, gated: false, wi.forward(x)), training)).MoveToOuterDisposeScope();
    }
}

/// <summary>block.N.layer.(1|2): pre-norm feed-forward with a residual.</summary>
public sealed class T5LayerFF : nn.Module
{
    public readonly nn.Module<Tensor, Tensor> DenseReluDense;
    public readonly T5LayerNorm layer_norm;

    private readonly ConfiguredDropout _dropout;

    public T5LayerFF(T5Config c, ConfiguredDropout dropout) : base("layer")
    {
        _dropout = dropout;
        DenseReluDense = c.IsGated ? new T5DenseGatedActDense(c, dropout) : new T5DenseActDense(c, dropout);
        layer_norm = new T5LayerNorm(c.DModel, c.LayerNormEpsilon, nameof(layer_norm));
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden) => hidden + _dropout.Apply(DenseReluDense.forward(layer_norm.forward(hidden)), training);
}

/// <summary>
/// block.N: layer.0 self-attention, (decoder only) layer.1 cross-attention, then the feed-forward layer.
/// The list is heterogeneous because the Hugging Face names index the sub-layers by position.
/// </summary>
public sealed class T5Block : nn.Module
{
    public readonly ModuleList<nn.Module> layer;
    private readonly bool _isDecoder;

    public T5Block(T5Config c, ConfiguredDropout dropout, bool isDecoder, bool hasRelativeAttentionBias) : base("block")
    {
        _isDecoder = isDecoder;
        var layers = new List<nn.Module> { new T5LayerSelfAttention(c, dropout, hasRelativeAttentionBias) };
        if (isDecoder) layers.Add(new T5LayerCrossAttention(c, dropout));
        layers.Add(new T5LayerFF(c, dropout));
        layer = nn.ModuleList(layers.ToArray());
        RegisterComponents();
    }

    public T5LayerSelfAttention SelfAttentionLayer => (T5LayerSelfAttention)layer[0];
    public T5LayerCrossAttention CrossAttentionLayer => _isDecoder
        ? (T5LayerCrossAttention)layer[1]
        : throw new InvalidOperationException("An encoder block has no cross-attention.");
    public T5LayerFF FeedForwardLayer => (T5LayerFF)layer[_isDecoder ? 2 : 1];

    public Tensor Forward(Tensor hidden, Tensor selfBias, Tensor? encoderHidden = null, Tensor? crossBias = null,
        Tensor? prefixKey = null, Tensor? prefixValue = null)
    {
        using var scope = NewDisposeScope();
        hidden = SelfAttentionLayer.Forward(hidden, selfBias, prefixKey, prefixValue);
        if (_isDecoder)
            hidden = CrossAttentionLayer.Forward(hidden, encoderHidden ?? throw new ArgumentNullException(nameof(encoderHidden)),
                crossBias ?? throw new ArgumentNullException(nameof(crossBias)));
        return FeedForwardLayer.Forward(hidden).MoveToOuterDisposeScope();
    }
}

/// <summary>encoder.* or decoder.*: the blocks and a final RMSNorm. Token embeddings live in the model's shared table.</summary>
public sealed class T5Stack : nn.Module
{
    public readonly ModuleList<T5Block> block;
    public readonly T5LayerNorm final_layer_norm;

    public T5Stack(T5Config c, ConfiguredDropout dropout, bool isDecoder) : base(isDecoder ? "decoder" : "encoder")
    {
        int count = isDecoder ? c.DecoderLayers : c.NumLayers;
        block = nn.ModuleList(Enumerable.Range(0, count).Select(i => new T5Block(c, dropout, isDecoder, hasRelativeAttentionBias: i == 0)).ToArray());
        final_layer_norm = new T5LayerNorm(c.DModel, c.LayerNormEpsilon, nameof(final_layer_norm));
        RegisterComponents();
    }

    /// <summary>The stack's relative position bias [1, H, q, k] (float32), owned by block 0.</summary>
    public Tensor PositionBias(long queryLength, long keyLength, bool bidirectional, Device device)
        => block[0].SelfAttentionLayer.SelfAttention.PositionBias(queryLength, keyLength, bidirectional, device);
}
#pragma warning restore IDE1006, CS8981
