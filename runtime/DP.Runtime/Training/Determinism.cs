using static TorchSharp.torch;

namespace DP.Runtime.Training;

/// <summary>Seeds every generator a run draws from, and captures/restores their state for checkpoints.</summary>
public static class Determinism
{
    public static void Seed(long seed)
    {
        random.manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }

    /// <summary>The default (CPU) generator's state as a byte tensor.</summary>
    public static Tensor CaptureCpuState() => random.get_rng_state();

    public static void RestoreCpuState(Tensor state) => random.set_rng_state(state);
}
