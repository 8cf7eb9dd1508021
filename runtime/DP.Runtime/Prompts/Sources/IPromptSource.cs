using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Sources;

/// <summary>Where the n prompt rows of each instance come from.</summary>
public interface IPromptSource
{
    int Length { get; }

    /// <summary>True when <see cref="Rows"/> reads the instance representation u.</summary>
    bool NeedsInstance { get; }

    /// <summary>Prompt rows per instance [B, n, d] (float32); <paramref name="instance"/> is u [B, d] or null.</summary>
    Tensor Rows(long batch, Tensor? instance);
}
