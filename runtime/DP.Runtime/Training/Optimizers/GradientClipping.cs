using DP.Runtime.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training.Optimizers;

/// <summary>
/// Clips the gradients' total L2 norm to a maximum without reading anything to the host. TorchSharp's
/// <c>nn.utils.clip_grad_norm_</c> is libtorch's C++ one, which returns the norm as a host double: a device→host
/// synchronisation on every optimizer step. This computes the same thing with the same ops (each gradient's norm, the
/// norm of those, max / (norm + 1e-6) clamped at 1, multiplied in place), so the values are identical on the CPU
/// (GradientClippingTests compares them bit for bit).
/// </summary>
public static class GradientClipping
{
    public static void ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var norms = grads.Select(g => g.norm(p: 2)).ToList();
        var total = norms.Count == 1 ? norms[0] : stack(norms).norm(p: 2);
        // max_norm / (total + 1e-6) as ATen divides a scalar by a tensor: a tensor of max_norm, divided.
        var coefficient = full_like(total, maxNorm).div_(total + 1e-6).clamp_max(1.0);
        foreach (var g in grads) g.mul_(coefficient);
    }
}
