using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Backbones.Dropout;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Instance;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

#pragma warning disable IDE1006 // state-dict names

/// <summary>
/// Encoder classification head: pool the last hidden state and apply Linear(d → C). Pooling: the masked mean over
/// attended positions (dropped prompt rows and padding excluded), the first token, or BERT's pooled output
/// (the checkpoint's pooler over [CLS], then dropout at the backbone's hidden rate, as P-tuning v2 and transformers'
/// BertForSequenceClassification classify).
/// </summary>
public sealed class LinearHead : nn.Module, IScoreHead
{
    public readonly Linear classifier;
    private readonly Pooling _pooling;
    // A delegate, not the backbone itself: a module-typed field would register the backbone inside the head.
    private readonly Func<Tensor, Tensor>? _pooled;
    private readonly ConfiguredDropout? _dropout;

    /// <param name="pooler">The backbone whose pooler <see cref="Pooling.Pooler"/> reads (required for it, unused otherwise).</param>
    public LinearHead(int hidden, int outputs, Pooling pooling, Generator gen, Device device, BertModel? pooler = null) : base("head")
    {
        if (pooling == Pooling.Auto) throw new ArgumentException("Resolve head.pooling 'auto' before building the head.", nameof(pooling));
        if (pooling == Pooling.Pooler)
        {
            if (pooler is null) throw new ArgumentException("head.pooling 'pooler' needs a BERT-family backbone.", nameof(pooler));
            if (pooler.pooler is null) throw new ArgumentException(pooler.MissingPart("pooler (pooler.dense.*)"), nameof(pooler));
            _pooled = pooler.Pooled;
            _dropout = new ConfiguredDropout(pooler.Dropout, pooler.HiddenDropoutRate);
        }
        classifier = nn.Linear(hidden, outputs, device: device);
        ParameterInit.Linear(classifier, gen);
        _pooling = pooling;
        RegisterComponents();
    }

    public nn.Module Module => this;

    /// <summary>How the head pools (never <see cref="Pooling.Auto"/>).</summary>
    public Pooling Pooling => _pooling;

    public Tensor? DecoderInputIds(long batch, Device device) => null;

    public Tensor Scores(BackboneOutput output, HeadInput input)
    {
        var states = output.LastHiddenState;
        var pooled = _pooling switch
        {
            Pooling.First => states[.., 0],
            Pooling.Pooler => _dropout!.Apply(_pooled!(states), training),
            _ => InstanceRepresentationCache.MaskedMean(states, input.AttentionMask),
        };
        return classifier.forward(pooled);
    }
}
#pragma warning restore IDE1006
