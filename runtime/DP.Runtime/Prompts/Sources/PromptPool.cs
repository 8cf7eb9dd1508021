using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Sources;

#pragma warning disable IDE1006 // state-dict names

/// <summary>
/// A pool of k prompts (k × n × d) mixed per instance: β = softmax([tanh](Linear(d→k)(u))), P_i = Σ_k β_ik Pool_k.
/// Soft weighting (not Gumbel), as in the paper's instance-vector variant.
/// </summary>
public sealed class PromptPool : nn.Module, IPromptSource
{
    public readonly Parameter weight;
    public readonly Linear mixer;
    private readonly bool _tanh;

    public PromptPool(Tensor initial, bool tanh, Generator gen) : base("pool")
    {
        if (initial.dim() != 3) throw new ArgumentException($"A prompt pool is k × n × d; got shape [{string.Join(", ", initial.shape)}].");
        weight = new Parameter(initial.detach().clone());
        mixer = nn.Linear(initial.shape[2], initial.shape[0], device: initial.device);
        ParameterInit.Linear(mixer, gen);
        _tanh = tanh;
        RegisterComponents();
    }

    public int Length => (int)weight.shape[1];
    public int Size => (int)weight.shape[0];
    public bool NeedsInstance => true;

    /// <summary>Mixing weights β [B, k]; each row sums to 1.</summary>
    public Tensor Weights(Tensor instance)
    {
        var logits = mixer.forward(instance);
        return torch.softmax(_tanh ? torch.tanh(logits) : logits, dim: -1);
    }

    public Tensor Rows(long batch, Tensor? instance)
    {
        if (instance is null) throw new InvalidOperationException("A prompt pool needs the instance representation u.");
        return torch.einsum("bk,knd->bnd", Weights(instance), weight);
    }
}
#pragma warning restore IDE1006
