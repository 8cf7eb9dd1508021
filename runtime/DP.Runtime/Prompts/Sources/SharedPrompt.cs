using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Sources;

#pragma warning disable IDE1006 // state-dict names

/// <summary>One prompt P (n × d) shared by every instance (Lester et al. prompt tuning).</summary>
public sealed class SharedPrompt : nn.Module, IPromptSource
{
    public readonly Parameter weight;

    public SharedPrompt(Tensor initial) : base("prompt")
    {
        if (initial.dim() != 2) throw new ArgumentException($"A shared prompt is n × d; got shape [{string.Join(", ", initial.shape)}].");
        weight = new Parameter(initial.detach().clone());
        RegisterComponents();
    }

    public int Length => (int)weight.shape[0];
    public bool NeedsInstance => false;

    public Tensor Rows(long batch, Tensor? instance) => weight.unsqueeze(0).expand(batch, -1, -1);
}
#pragma warning restore IDE1006
