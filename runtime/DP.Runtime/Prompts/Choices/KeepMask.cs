using DP.Runtime.Devices;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Choices;

/// <summary>Length choice → per-row keep mask over the n prompt rows.</summary>
public static class KeepMask
{
    /// <summary>
    /// m_k = Σ_{j≥k} g_j for k = 1..n from a one-hot (straight-through) g [B, n+1] over lengths 0..n: row k−1 is kept
    /// iff ℓ ≥ k. Exactly 0/1 forward; gradients flow to every length logit.
    /// </summary>
    public static Tensor FromLengthChoice(Tensor g) => MetaFallback.SuffixSums(g)[.., 1..];
}
