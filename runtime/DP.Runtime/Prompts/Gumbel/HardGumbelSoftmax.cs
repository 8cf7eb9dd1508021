using DP.Runtime.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Gumbel;

/// <summary>
/// Hard straight-through Gumbel-softmax (TorchSharp has none): the forward value is exactly one-hot, the backward
/// pass sees the gradient of softmax((logits + G) / τ). Noise comes from generators this object owns (one per
/// device), so a seed reproduces the same draws whatever else uses the global RNG.
/// </summary>
public sealed class HardGumbelSoftmax : IDisposable
{
    private readonly DeviceGenerators _generators;

    public HardGumbelSoftmax(long seed) => _generators = new DeviceGenerators(seed);

    /// <summary>Straight-through one-hot sample over the last dimension of <paramref name="logits"/>.</summary>
    public Tensor Sample(Tensor logits, double temperature)
    {
        var u = torch.rand(logits.shape, dtype: logits.dtype, device: logits.device, generator: _generators.For(logits.device));
        var gumbel = -torch.log(-torch.log(u.clamp_min(1e-20)));
        var soft = torch.softmax((logits + gumbel) / temperature, dim: -1);
        return StraightThrough(soft);
    }

    /// <summary>Deterministic choice (evaluation): the one-hot argmax of the logits.</summary>
    public static Tensor ArgMax(Tensor logits) =>
        torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[^1]).to(logits.dtype);

    /// <summary>
    /// one_hot(argmax soft) + (soft − soft.detach()): the second term is exactly zero in the forward pass (so the
    /// value is an exact one-hot, unlike hard − soft.detach() + soft) and carries the soft gradient backwards.
    /// </summary>
    public static Tensor StraightThrough(Tensor soft) => ArgMax(soft.detach()) + (soft - soft.detach());

    /// <summary>The state of each generator used so far, by device (for checkpoints).</summary>
    public IReadOnlyDictionary<string, Tensor> SaveState() => _generators.SaveState();

    /// <summary>Restores generator states that <see cref="SaveState"/> returned.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> states) => _generators.LoadState(states);

    public void Dispose() => _generators.Dispose();
}
