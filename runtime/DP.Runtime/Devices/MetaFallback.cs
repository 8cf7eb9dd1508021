using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Devices;

/// <summary>
/// The few ops the runtime uses that C++ libtorch has no <c>meta</c> kernel for (PyTorch registers theirs from
/// Python): index_select (so Embedding), native_layer_norm, where, relu, abs, flip (cumsum's backward). On a meta tensor each runs a decomposition into ops
/// that have one — same shape, dtype, device checks and autograd graph, no values (meta tensors hold none) — so the
/// meta-device test (tests/DP.Runtime.Tests/Devices) can run every method's step; on every other device the op
/// itself runs, unchanged. See docs/devices.md.
/// </summary>
public static class MetaFallback
{
    public static bool IsMeta(Tensor t) => t.device_type == DeviceType.META;

    /// <summary><c>embedding.forward(ids)</c>.</summary>
    public static Tensor Lookup(Embedding embedding, Tensor ids) =>
        IsMeta(ids) ? embedding.weight![ids] : embedding.forward(ids);

    /// <summary><c>x.index_select(dim, index)</c>.</summary>
    public static Tensor IndexSelect(Tensor x, long dim, Tensor index)
    {
        if (!IsMeta(x)) return x.index_select(dim, index);
        var at = Enumerable.Repeat(TensorIndex.Colon, (int)(dim < 0 ? x.dim() + dim : dim)).Append(TensorIndex.Tensor(index));
        return x[at.ToArray()];
    }

    /// <summary><c>norm.forward(x)</c>; on meta the epsilon is irrelevant (there are no values).</summary>
    public static Tensor Normalize(LayerNorm norm, Tensor x)
    {
        if (!IsMeta(x)) return norm.forward(x);
        var centred = x - x.mean([-1L], keepdim: true);
        var scaled = centred * (centred.square().mean([-1L], keepdim: true) + 1e-5).rsqrt();
        return norm.weight is null ? scaled : scaled * norm.weight + norm.bias!;
    }

    /// <summary><c>torch.where(condition, x, y)</c>.</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) =>
        IsMeta(condition) ? x * condition + y * condition.eq(false) : torch.where(condition, x, y);

    /// <summary><c>relu(x)</c>.</summary>
    // (x·[x > 0] rather than clamp: clamp's backward needs where.)
    public static Tensor Relu(Tensor x) => IsMeta(x) ? x * x.gt(0) : nn.functional.relu(x);

    /// <summary><c>x.abs()</c>.</summary>
    public static Tensor Abs(Tensor x) => IsMeta(x) ? x.clamp_min(0) - x.clamp_max(0) : x.abs();

    /// <summary>
    /// <c>x.flip(-1).cumsum(-1).flip(-1)</c>, the sums from each position to the end of the last dimension (on meta
    /// a product with a triangle of ones: cumsum's backward needs flip).
    /// </summary>
    public static Tensor SuffixSums(Tensor x)
    {
        if (!IsMeta(x)) return x.flip(-1).cumsum(-1).flip(-1);
        long n = x.shape[^1];
        return x.matmul(torch.ones(n, n, dtype: x.dtype, device: x.device).tril());
    }
}
