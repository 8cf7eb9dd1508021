using DP.Runtime.Backbones;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Instance;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

#pragma warning disable IDE1006 // state-dict names

/// <summary>
/// Encoder classification head: pool the last hidden state (masked mean over attended positions, so dropped prompt
/// rows and padding are excluded, or the first token) and apply Linear(d → C).
/// </summary>
public sealed class LinearHead : nn.Module, IScoreHead
{
    public readonly Linear classifier;
    private readonly Pooling _pooling;

    public LinearHead(int hidden, int outputs, Pooling pooling, Generator gen, Device device) : base("head")
    {
        classifier = nn.Linear(hidden, outputs, device: device);
        ParameterInit.Linear(classifier, gen);
        _pooling = pooling;
        RegisterComponents();
    }

    public nn.Module Module => this;

    public Tensor? DecoderInputIds(long batch, Device device) => null;

    public Tensor Scores(BackboneOutput output, Tensor mask)
    {
        var states = output.LastHiddenState;
        var pooled = _pooling == Pooling.First ? states[.., 0] : InstanceRepresentationCache.MaskedMean(states, mask);
        return classifier.forward(pooled);
    }
}
#pragma warning restore IDE1006
