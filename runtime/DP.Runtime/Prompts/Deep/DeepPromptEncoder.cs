using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Deep;

#pragma warning disable IDE1006 // state-dict names

/// <summary>
/// P-tuning v2 deep prompts: n key/value prefix vectors for every layer. Either free parameters
/// [n, 2·layers·heads·headDim] (N(0, 1), as P-tuning v2's nn.Embedding) or produced by a reparameterisation MLP Embedding(n, d) → Linear → tanh → Linear(→ 2·layers·heads·headDim).
/// Layout of the 2·layers axis: (layer 0 key, layer 0 value, layer 1 key, ...).
/// </summary>
public sealed class DeepPromptEncoder : nn.Module
{
    public readonly Parameter? weight;
    public readonly Embedding? embedding;
    public readonly Sequential? transform;
    private readonly BackboneShape _shape;
    private readonly int _length;

    public DeepPromptEncoder(int length, BackboneShape shape, bool reparameterize, int hidden, Generator gen, Device device) : base("deep_prompt")
    {
        _shape = shape;
        _length = length;
        // heads · headDim, which for T5 need not equal d_model (v1.1 small: 6 × 64 vs 512).
        long width = 2L * shape.NumLayers * shape.NumHeads * shape.HeadDim;
        if (!reparameterize)
        {
            weight = new Parameter(torch.randn([length, width], generator: gen).to(device));
        }
        else
        {
            if (hidden < 1) throw new ArgumentException($"method.reparameterize_hidden must be ≥ 1, got {hidden}.");
            embedding = nn.Embedding(length, shape.HiddenSize, device: device);
            using (torch.no_grad()) embedding.weight!.copy_(torch.randn([length, shape.HiddenSize], generator: gen).to(device));
            var up = nn.Linear(shape.HiddenSize, hidden, device: device);
            var down = nn.Linear(hidden, width, device: device);
            ParameterInit.Linear(up, gen);
            ParameterInit.Linear(down, gen);
            transform = nn.Sequential(("0", up), ("1", nn.Tanh()), ("2", down));
        }
        RegisterComponents();
    }

    public int Length => _length;

    /// <summary>The prefixes as one tensor [n, 2·layers·heads·headDim] (the reparameterisation MLP applied).</summary>
    public Tensor Flat() => weight is not null ? weight : transform!.forward(embedding!.weight!);

    /// <summary>
    /// Per-layer prefixes for a batch of <paramref name="batch"/> rows; mask all ones [B, n]. In training mode each row's
    /// prefixes get their own dropout mask at <paramref name="rate"/> (P-tuning v2 drops out its past key/values at
    /// the backbone's hidden dropout rate).
    /// </summary>
    public DeepPrompt Build(long batch, SeededDropout? dropout = null, double rate = 0)
    {
        var flat = Flat();
        int layers = _shape.NumLayers, heads = _shape.NumHeads, headDim = _shape.HeadDim;
        // [n, 2L·heads·headDim] → [B, n, 2L·heads·headDim] (a mask per row) → [2L, B, heads, n, headDim]
        var rows = flat.unsqueeze(0).expand(batch, -1, -1);
        if (dropout is not null) rows = dropout.Apply(rows, rate, training);
        var kv = rows.view(batch, _length, 2 * layers, heads, headDim).permute(2, 0, 3, 1, 4);
        var keys = new Tensor[layers];
        var values = new Tensor[layers];
        for (int i = 0; i < layers; i++) // a loop over layers (fixed, small), not over instances
        {
            keys[i] = kv[2 * i];
            values[i] = kv[2 * i + 1];
        }
        var mask = torch.ones(batch, _length, dtype: ScalarType.Float32, device: flat.device);
        return new DeepPrompt(keys, values, mask);
    }
}
#pragma warning restore IDE1006
