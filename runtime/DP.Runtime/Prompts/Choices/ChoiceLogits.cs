using DP.Runtime.Devices;
using DP.Runtime.Prompts.Sources;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Choices;

#pragma warning disable IDE1006 // state-dict names

/// <summary>Logits of a categorical choice over n+1 options (split points 0..n or lengths 0..n).</summary>
public abstract class ChoiceLogits : nn.Module
{
    protected ChoiceLogits(string name) : base(name) { }

    public abstract bool NeedsInstance { get; }

    /// <summary>[B, n+1] logits; <paramref name="instance"/> is u [B, d] for instance-level choices.</summary>
    public abstract Tensor Logits(long batch, Tensor? instance);
}

/// <summary>Task-level: one learned vector of n+1 logits, initialised Uniform(−0.5, 0.5).</summary>
public sealed class TaskChoiceLogits : ChoiceLogits
{
    public readonly Parameter logits;

    public TaskChoiceLogits(string name, int options, Generator gen, Device device) : base(name)
    {
        logits = new Parameter(ParameterInit.Uniform([options], -0.5, 0.5, gen, device));
        RegisterComponents();
    }

    public override bool NeedsInstance => false;
    public override Tensor Logits(long batch, Tensor? instance) => logits.unsqueeze(0).expand(batch, -1);
}

/// <summary>
/// Instance-level: ReLU(Linear(d → n+1)(u)), the authors' form. The bias starts at +1 (weights as nn.Linear): with
/// PyTorch's default bias range some seeds start with every unit negative for every instance, the ReLU passes no
/// gradient and the choice never learns. A shared offset leaves the initial softmax essentially uniform.
/// </summary>
public sealed class InstanceChoiceLogits : ChoiceLogits
{
    public readonly Linear proj;

    public InstanceChoiceLogits(string name, int hidden, int options, Generator gen, Device device) : base(name)
    {
        proj = nn.Linear(hidden, options, device: device);
        ParameterInit.Linear(proj, gen);
        using (torch.no_grad()) proj.bias!.fill_(1.0f);
        RegisterComponents();
    }

    public override bool NeedsInstance => true;

    public override Tensor Logits(long batch, Tensor? instance)
    {
        if (instance is null) throw new InvalidOperationException("An instance-level choice needs the instance representation u.");
        return MetaFallback.Relu(proj.forward(instance));
    }
}
#pragma warning restore IDE1006
