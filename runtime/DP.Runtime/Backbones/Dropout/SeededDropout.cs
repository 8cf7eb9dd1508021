using DP.Runtime.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Dropout;

/// <summary>
/// Dropout as nn.Dropout computes it (zero each element with probability p, scale the rest by 1/(1−p)), in training
/// mode only, with masks drawn from generators this object owns. TorchSharp's dropout draws from torch's default
/// generator and takes no generator, so the mask is built here from <c>torch.rand(…, generator)</c>: a run's dropout
/// is then reproducible from its seed, saved in checkpoints, and replayed exactly by activation checkpointing.
/// One instance serves every layer of a backbone; the rates come from the backbone's config.
/// </summary>
public sealed class SeededDropout : IDisposable
{
    /// <summary>Offset from the run's seed, so that dropout masks and Gumbel noise are different streams.</summary>
    private const long StreamOffset = 0x44726f70; // "Drop"

    public SeededDropout(long seed = 0) => Generators = new DeviceGenerators(seed + StreamOffset);

    /// <summary>training.dropout: false turns dropout off even in training mode (OpenPrompt's plm_eval_mode).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The generators the masks come from (checkpoints save them; activation checkpointing replays them).</summary>
    public DeviceGenerators Generators { get; }

    /// <summary>Seeds the masks from a run's seed.</summary>
    public void Reseed(long seed) => Generators.Reseed(seed + StreamOffset);

    /// <summary>Whether a module in <paramref name="training"/> mode drops anything at <paramref name="rate"/>.</summary>
    public bool IsActive(bool training, double rate) => Enabled && training && rate > 0;

    /// <summary><paramref name="x"/> with dropout at <paramref name="rate"/> when active; otherwise <paramref name="x"/> itself.</summary>
    public Tensor Apply(Tensor x, double rate, bool training)
    {
        if (!IsActive(training, rate)) return x;
        if (rate >= 1) return torch.zeros_like(x);
        using var scope = NewDisposeScope();
        // Uniforms in float32 whatever x's dtype: bfloat16 uniforms would round the rate to 8 bits.
        var drop = torch.rand(x.shape, dtype: ScalarType.Float32, device: x.device, generator: Generators.For(x.device)).lt(rate);
        return x.masked_fill(drop, 0).mul(1.0 / (1.0 - rate)).MoveToOuterDisposeScope();
    }

    public void Dispose() => Generators.Dispose();
}
