using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Sources;

/// <summary>
/// Seeded initialisation that draws from a generator the caller owns (not the global RNG), on the CPU,
/// then moves to the target device, so the same seed gives the same weights on any device.
/// </summary>
public static class ParameterInit
{
    public static Tensor Uniform(long[] shape, double low, double high, Generator gen, Device device) =>
        (torch.rand(shape, dtype: ScalarType.Float32, generator: gen) * (high - low) + low).to(device);

    /// <summary>PyTorch's nn.Linear default range: U(−1/√fan_in, 1/√fan_in) for weight and bias.</summary>
    public static void Linear(TorchSharp.Modules.Linear linear, Generator gen)
    {
        using var _ = torch.no_grad();
        var w = linear.weight!;
        double bound = 1.0 / Math.Sqrt(w.shape[1]);
        w.copy_(Uniform(w.shape, -bound, bound, gen, w.device));
        linear.bias?.copy_(Uniform(linear.bias.shape, -bound, bound, gen, w.device));
    }
}
